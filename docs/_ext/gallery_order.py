"""The order of the gallery's examples: a reading order first, then any others by name."""

ORDER = [
    "plot_quickstart.py",
    "plot_optimizers.py",
    "plot_compare_models.py",
    "plot_augmentation.py",
    "plot_imbalanced.py",
    "plot_grid_search.py",
    "plot_optuna_search.py",
    "plot_dask_search.py",
    "plot_voting.py",
    "plot_save_load.py",
    "plot_predict_own_handwriting.py",
]


class ExampleOrder:
    """sphinx-gallery's ``within_subsection_order``: a sort key over example file names."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        if filename in ORDER:
            return (ORDER.index(filename), filename)
        return (len(ORDER), filename)

    def __repr__(self):
        return f"<{type(self).__name__}>"
