"""A suite's results as tables and plots: one row per configuration, or per seed summarized."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
import pandas as pd


def summarize(results: pd.DataFrame) -> pd.DataFrame:
    """One row per configuration of a table of several seeds: accuracy mean and min, median time.

    Parameters
    ----------
    results : pandas.DataFrame
        The table :func:`run_suite` returns.

    Returns
    -------
    summary : pandas.DataFrame
        In the suite's order: ``config``, ``seeds`` (how many), ``accuracy``
        (mean), ``accuracy_min``, ``macro_f1`` (mean), ``fit_seconds``
        (median), ``fit_seconds_min``, ``fit_seconds_max``,
        ``predict_images_per_s`` (median), ``n_params`` and ``epochs``
        (median).

    Examples
    --------
    >>> import pandas as pd
    >>> from skmnist.benchmarks.suites import summarize
    >>> results = pd.DataFrame({"config": ["fast"] * 3, "accuracy": [0.990, 0.992, 0.991],
    ...                         "macro_f1": [0.99] * 3, "fit_seconds": [9.0, 8.0, 12.0],
    ...                         "predict_images_per_s": [5e4] * 3, "n_params": [61_000] * 3,
    ...                         "epochs": [2] * 3})
    >>> row = summarize(results).iloc[0]
    >>> int(row.seeds), round(float(row.accuracy), 4), float(row.accuracy_min)
    (3, 0.991, 0.99)
    >>> float(row.fit_seconds)
    9.0
    """
    grouped = results.groupby("config", sort=False)
    return pd.DataFrame(
        {
            "seeds": grouped.size(),
            "accuracy": grouped["accuracy"].mean(),
            "accuracy_min": grouped["accuracy"].min(),
            "macro_f1": grouped["macro_f1"].mean(),
            "fit_seconds": grouped["fit_seconds"].median(),
            "fit_seconds_min": grouped["fit_seconds"].min(),
            "fit_seconds_max": grouped["fit_seconds"].max(),
            "predict_images_per_s": grouped["predict_images_per_s"].median(),
            "n_params": grouped["n_params"].first(),
            "epochs": grouped["epochs"].median(),
        }
    ).reset_index()


def to_markdown(
    results: pd.DataFrame, *, title: str | None = None, votes: pd.DataFrame | None = None
) -> str:
    """The results as a Markdown table (config, accuracy, macro F1, times, parameters).

    Parameters
    ----------
    results : pandas.DataFrame
        The table :func:`run_suite` returns.
    title : str, default=None
        A line put before the table.
    votes : pandas.DataFrame, default=None
        What :func:`soft_votes` returns: a table of the soft votes follows
        the summary when it has rows.

    Returns
    -------
    table : str
        The Markdown text, ending with a newline.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmnist.benchmarks.suites import to_markdown
    >>> row = dict(config="CNN", accuracy=0.99123, macro_f1=0.9911, fit_seconds=12.3,
    ...            predict_images_per_s=45678.9, n_params=241770, epochs=15)
    >>> print(to_markdown(pd.DataFrame([row])))
    | model / config | accuracy | macro F1 | fit (s) | predict (images/s) | parameters | epochs |
    |---|---:|---:|---:|---:|---:|---:|
    | CNN | 99.12% | 0.9911 | 12.3 | 45,679 | 241,770 | 15 |
    <BLANKLINE>
    """
    several_seeds = "seed" in results and results.groupby("config").size().max() > 1
    columns = ["model / config", "accuracy", "macro F1", "fit (s)", "predict (images/s)"]
    columns += ["parameters", "epochs"]
    each = [
        [
            row.config + (f" (seed {row.seed})" if several_seeds else ""),
            f"{row.accuracy:.2%}",
            f"{row.macro_f1:.4f}",
            _seconds(row.fit_seconds),
            f"{row.predict_images_per_s:,.0f}",
            f"{row.n_params:,}",
            row.epochs,
        ]
        for row in results.itertuples(index=False)
    ]
    if not several_seeds:
        return markdown_table(columns, each, align="lrrrrrr", title=title)
    summary_columns = ["model / config", "seeds", "accuracy (mean)", "accuracy (min)"]
    summary_columns += ["fit (s, median)", "fit (s, min-max)", "parameters", "epochs"]
    summary = [
        [
            row.config,
            row.seeds,
            f"{row.accuracy:.2%}",
            f"{row.accuracy_min:.2%}",
            _seconds(row.fit_seconds),
            f"{_seconds(row.fit_seconds_min)}-{_seconds(row.fit_seconds_max)}",
            f"{row.n_params:,}",
            f"{row.epochs:g}",
        ]
        for row in summarize(results).itertuples(index=False)
    ]
    text = markdown_table(summary_columns, summary, align="lrrrrrrr", title=title)
    if votes is not None and len(votes):
        rows = [[row.config, row.seeds, f"**{row.accuracy:.2%}**"] for row in votes.itertuples()]
        text += (
            "\nThe soft vote of each configuration's seeds (the class of the largest mean of "
            "their test-set probabilities):\n\n"
            + markdown_table(["model / config", "seeds that vote", "accuracy"], rows, align="llr")
        )
    return text + "\nEach seed:\n\n" + markdown_table(columns, each, align="lrrrrrr")


def markdown_table(header, rows, *, align=None, title=None) -> str:
    """A Markdown table of ``rows`` under ``header``, ending with a newline.

    Every table skmnist's benchmarks and development tools write goes
    through this function.

    Parameters
    ----------
    header : sequence of str
        The column names.
    rows : iterable of sequences
        The cells of each row, formatted by the caller; each is written as
        ``str(cell)``, with ``|`` escaped.
    align : str, default=None
        One letter per column, ``"l"`` (left) or ``"r"`` (right); None
        aligns every column left.
    title : str, default=None
        A paragraph put before the table.

    Returns
    -------
    text : str
        The Markdown text.
    """
    align = align or "l" * len(header)
    lines = [title, ""] if title else []
    lines += [_row(header), "|" + "".join("---:|" if a == "r" else "---|" for a in align)]
    lines += [_row(row) for row in rows]
    return "\n".join(lines) + "\n"


def _row(cells):
    return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"


def _seconds(seconds):
    return f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"


def plot_results(results: pd.DataFrame, *, title: str | None = None):
    """Bar charts of each configuration's test accuracy and fit time; returns the Figure.

    The accuracy axis starts a little below the lowest accuracy, so that close
    results can be told apart; each bar is labelled with its value.

    Parameters
    ----------
    results : pandas.DataFrame
        The table :func:`run_suite` returns (``config``, ``accuracy`` and
        ``fit_seconds`` are used).
    title : str, default=None
        The figure's title.

    Returns
    -------
    figure : matplotlib.figure.Figure
        The figure, with the accuracy and fit-time panels side by side.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmnist.benchmarks.suites import plot_results
    >>> results = pd.DataFrame({"config": ["LeNet-5", "CNN"], "accuracy": [0.9903, 0.9947],
    ...                         "fit_seconds": [66.2, 387.9]})
    >>> figure = plot_results(results, title="MNIST, 2-core CPU")
    >>> [ax.get_xlabel() for ax in figure.axes]
    ['test accuracy', 'fit time (s)']
    """
    import matplotlib.pyplot as plt

    n = len(results)
    fig, (ax_acc, ax_time) = plt.subplots(
        1,
        2,
        figsize=(11, 1.2 + 0.45 * n),
        sharey=True,
        layout="constrained",
        gridspec_kw={"width_ratios": (2, 1)},
    )
    positions = np.arange(n)[::-1]
    accuracy = results["accuracy"].to_numpy(dtype=float)
    bars = ax_acc.barh(positions, accuracy, color="tab:blue")
    ax_acc.bar_label(bars, labels=[f"{a:.2%}" for a in accuracy], padding=3, fontsize=8)
    margin = max(0.3 * float(np.ptp(accuracy)), 0.02)  # the shortest bar stays visible
    low = max(0.0, np.floor((float(accuracy.min()) - margin) * 100) / 100)
    ax_acc.set_xlim(low, 1.0 + 0.12 * (1.0 - low))
    ax_acc.set(xlabel="test accuracy", yticks=positions, yticklabels=results["config"])
    seconds = results["fit_seconds"].to_numpy(dtype=float)
    bars = ax_time.barh(positions, seconds, color="tab:gray")
    ax_time.bar_label(bars, labels=[_seconds(s) for s in seconds], padding=3, fontsize=8)
    ax_time.set_xlim(0, 1.2 * max(float(seconds.max()), 1e-3))
    ax_time.set(xlabel="fit time (s)")
    if title:
        fig.suptitle(title)
    return fig


def plot_frontier(results: pd.DataFrame, *, references=None, title: str | None = None):
    """Test accuracy against fit time, one point per configuration; returns the Figure.

    Each configuration is drawn at its median fit time (log scale) and mean
    accuracy over its seeds, with bars from the lowest to the highest of
    each. The configurations that no faster one beats in accuracy form the
    frontier, joined by a line: what a given fit time buys. ``references``
    are accuracies to compare with (published figures), drawn as dashed
    lines.

    Parameters
    ----------
    results : pandas.DataFrame
        The table :func:`run_suite` returns (``config``, ``accuracy``,
        ``fit_seconds``; several seeds per configuration or one).
    references : dict of str to float, default=None
        Labels and accuracies drawn as horizontal lines.
    title : str, default=None
        The figure's title.

    Returns
    -------
    figure : matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmnist.benchmarks.suites import plot_frontier
    >>> results = pd.DataFrame({"config": ["fast", "fast", "slow", "slower"],
    ...                         "accuracy": [0.990, 0.992, 0.994, 0.993],
    ...                         "fit_seconds": [9.0, 8.0, 60.0, 300.0]})
    >>> figure = plot_frontier(results, references={"LeNet-5 (1998)": 0.9905})
    >>> figure.axes[0].get_xlabel(), figure.axes[0].get_xscale()
    ('fit time (s)', 'log')
    >>> [line.get_label() for line in figure.axes[0].lines][:1]
    ['frontier']
    """
    import matplotlib.pyplot as plt

    grouped = results.groupby("config", sort=False)
    summary = pd.DataFrame(
        {
            "accuracy": grouped["accuracy"].mean(),
            "accuracy_min": grouped["accuracy"].min(),
            "accuracy_max": grouped["accuracy"].max(),
            "seconds": grouped["fit_seconds"].median(),
            "seconds_min": grouped["fit_seconds"].min(),
            "seconds_max": grouped["fit_seconds"].max(),
        }
    ).sort_values("seconds")
    best_so_far = summary["accuracy"].cummax()
    on_frontier = summary["accuracy"] >= best_so_far
    fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
    frontier = summary[on_frontier]
    ax.plot(frontier["seconds"], frontier["accuracy"], "-", color="tab:blue", label="frontier")
    # Labels on a white ground, so that no line crosses them: a frontier point's above it
    # and to its left (the rising frontier leaves that corner free) unless the point is near
    # the left edge; another point's, or one that only ties the best before it (its label
    # would cover that one's), below it, on the side away from the nearer edge. The
    # references are named in a legend, away from the points' labels.
    ties = summary["accuracy"] <= best_so_far.shift(fill_value=-np.inf)
    shortest, longest = np.log(summary["seconds_min"].min()), np.log(summary["seconds_max"].max())
    ground = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
    for config, row in summary.iterrows():
        color = "tab:blue" if on_frontier[config] else "tab:gray"
        left = (np.log(row["seconds"]) - shortest) > 0.3 * (longest - shortest)
        right = (np.log(row["seconds"]) - shortest) > 0.7 * (longest - shortest)
        if not on_frontier[config] or ties[config]:
            offset, ha, va = ((-6, -4), "right", "top") if right else ((6, -4), "left", "top")
        else:
            offset, ha, va = ((-6, 4), "right", "bottom") if left else ((6, 4), "left", "bottom")
        ax.errorbar(
            row["seconds"],
            row["accuracy"],
            xerr=[[row["seconds"] - row["seconds_min"]], [row["seconds_max"] - row["seconds"]]],
            yerr=[[row["accuracy"] - row["accuracy_min"]], [row["accuracy_max"] - row["accuracy"]]],
            fmt="o",
            color=color,
            capsize=2,
        )
        ax.annotate(
            f"{config}\n{row['accuracy']:.2%}",
            (row["seconds"], row["accuracy"]),
            textcoords="offset points",
            xytext=offset,
            ha=ha,
            va=va,
            fontsize=8,
            color=color,
            bbox=ground,
        )
    for label, accuracy in (references or {}).items():
        name = f"{label}: {accuracy:.2%}"
        ax.axhline(accuracy, color="tab:red", linestyle="--", linewidth=0.8, label=name)
    if references:
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[1:], labels[1:], loc="lower right", fontsize=8, title="published")
    accuracies = [*summary["accuracy_min"], *(references or {}).values()]
    low, high = min(accuracies), max([*summary["accuracy_max"], *(references or {}).values()])
    margin = max(0.1 * (high - low), 0.001)
    ax.set_ylim(low - margin, high + 2 * margin)
    ax.set_xscale("log")
    ax.set(xlabel="fit time (s)", ylabel="test accuracy")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.1%}"))
    ax.grid(True, which="both", alpha=0.3)
    if title:
        ax.set_title(title)
    return fig
