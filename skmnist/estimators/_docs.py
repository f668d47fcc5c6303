"""Docstring fragments shared by the estimators."""

TRAINING_PARAMETERS = """optimizer : str or torch.optim.Optimizer class, default="adam"
        "sgd", "adam", "adamw", "rmsprop", "adagrad", "nadam", "radam", or an
        optimizer class. Its other arguments go as ``optimizer__name=value``.
    lr : float, default=1e-3
        Learning rate.
    momentum : float, default=0.9
        Momentum of "sgd" and "rmsprop"; ignored by the others.
    weight_decay : float, default=0.0
        L2 penalty applied by the optimizer.
    batch_size : int, default=128
        Samples per training and prediction batch.
    max_epochs : int, default=10
        Passes over the training data in :meth:`fit`.
    device : str or torch.device, default="auto"
        Where to train and predict: "auto" picks CUDA, then Apple MPS, then
        the CPU; or "cpu", "cuda", "cuda:1", ... Fits training on the CPU at
        the same time in threads of one process share torch's threads (see
        :mod:`skmnist.model_selection`).
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling, dropout and augmentation.
        On the CPU the same seed gives identical predictions. Torch's global
        random state is left as it was. Fits training at the same time in
        threads of one process draw from that one global state, so they are
        not reproducible: run parallel searches in processes (joblib's
        default) for that.
    verbose : int, default=0
        0 is silent; 1 prints one line per epoch.
    augment : None, str or dict, default=None
        Random augmentation of the training batches, done batched on the
        device: a preset ("affine": rotation up to 10 degrees, scaling 0.9-1.1,
        translation up to 10%, shear up to 10 degrees; "elastic": the same
        plus elastic distortion; "noise": Gaussian noise) or a dict of
        settings, see :func:`skmnist.estimators.resolve_augment`. Never
        applied when predicting.
    device_data_budget : float or None, default=None
        Largest training or prediction set, in GiB, copied to the device in
        one piece; a larger one streams to it one batch at a time. None
        means half the free memory of a CUDA device and no limit elsewhere.
    callbacks : list of skorch callbacks or None, default=None
        Extra :mod:`skorch.callbacks`, as ``[("name", callback), ...]``.
    warm_start : bool, default=False
        Whether :meth:`fit` continues from the previous weights.
    compile : bool, default=False
        Compile the module with :func:`torch.compile`.
    **kwargs
        skorch's prefixed settings, such as ``optimizer__betas``,
        ``criterion__label_smoothing`` or ``callbacks__print_log``."""

ATTRIBUTES = """classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, in sorted order.
    n_features_in_ : int
        Number of pixels per sample (all channels).
    feature_names_in_ : ndarray of str
        Column names, when ``X`` was a DataFrame with string column names.
    image_shape_ : tuple of int
        (channels, height, width) the samples are read as.
    module_ : torch.nn.Module
        The trained network.
    history_ : skorch.History
        Per-epoch records: ``train_loss``, ``train_acc``, ``dur``, ..."""
