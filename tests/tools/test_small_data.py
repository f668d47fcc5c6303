"""tools.small_data: the defaults on load_digits beside scikit-learn's own classifiers."""

import pandas as pd

from tools import small_data


def test_each_fit_reports_its_budget_as_resolved_and_the_tables_hold_every_row():
    results = small_data.run(estimators=["mlp"], settings=["fixed"], seeds=[0])
    rows = results.set_index(["model", "settings"])
    fixed = rows.loc["MLPNetClassifier", "batch_size=128, max_epochs=10"]
    assert (fixed.batch_size, fixed.max_epochs, fixed.epochs) == (128, 10, 10)
    assert fixed.accuracy > 0.8
    reference = rows.loc["scikit-learn MLPClassifier()", "defaults"]
    assert (reference.batch_size, reference.max_epochs) == (200, 200)
    assert 1 <= reference.epochs <= 200 and reference.accuracy > 0.85
    svc = rows.loc["scikit-learn SVC()", "defaults"]
    assert pd.isna(svc.batch_size) and pd.isna(svc.epochs) and svc.accuracy > 0.9

    text = small_data.to_markdown(results, title="Title.")
    means, each = text.split("\nEach fit:\n")
    assert means.startswith("Title.\n\n| model | settings | seeds | accuracy (mean) |")
    assert f"| scikit-learn SVC() | defaults | - | {svc.accuracy:.2%} |" in means
    assert each.count("\n| ") == len(results) + 1  # the header and one row per fit
