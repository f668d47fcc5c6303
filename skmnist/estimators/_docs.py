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
    batch_size : int or "auto", default="auto"
        Samples per training and prediction batch; -1 is all at once.
        "auto" trains in batches of ``n_train // 100`` images, between 16
        and 128 (128 from 12,800 training images on, so 128 on MNIST), and
        predicts in batches of 128; the batch size used is ``batch_size_``.
    max_epochs : int or "auto", default="auto"
        Passes over the training data in :meth:`fit`. "auto" is enough
        epochs for 200,000 training images in all, at least 10 and at most
        200 (10 from 20,000 training images on, so 10 on MNIST; 143 for
        1,400 images); after the tenth, training stops once the training
        loss has not improved by ``tol`` for ``n_iter_no_change`` epochs
        (with ``early_stopping``, the validation loss decides instead). The
        budget is ``max_epochs_``, the epochs trained ``len(history_)``. An
        integer trains exactly that many epochs, unless ``early_stopping``
        stops sooner.
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
        0 is silent; 1 shows a progress bar during each epoch (running loss
        and accuracy) and prints a table row per epoch.
    augment : None, str or dict, default=None
        Random augmentation of the training batches, done batched on the
        device: a preset ("affine": rotation up to 10 degrees, scaling 0.9-1.1,
        translation up to 10%, shear up to 10 degrees; "elastic": the same
        plus elastic distortion; "noise": Gaussian noise; "flip": a
        left-right flip of half the images and translation up to 10%, for
        clothing rather than digits) or a dict of
        settings, see :func:`skmnist.estimators.resolve_augment`. Never
        applied when predicting.
    early_stopping : bool, default=False
        Hold out a stratified ``validation_fraction`` of the training data,
        stop once the validation loss has not improved by more than ``tol``
        for ``n_iter_no_change`` epochs, and keep the weights of the best
        validation epoch. Without it nothing is held out and the weights of
        the last epoch are kept.
    validation_fraction : float, default=0.1
        Fraction of the training data held out with ``early_stopping``.
    n_iter_no_change : int, default=10
        Epochs without improvement before ``early_stopping``, or the
        training-loss plateau of ``max_epochs="auto"``, stops training.
    tol : float, default=1e-4
        Smallest decrease of the validation loss (or of the training loss,
        for the plateau of ``max_epochs="auto"``) that counts as
        improvement.
    lr_schedule : None, str or torch.optim.lr_scheduler class, default=None
        Learning-rate schedule: "plateau" (multiply by ``lr_factor`` after
        ``lr_patience`` epochs without improvement of the validation loss, or
        of the training loss without ``early_stopping``), "cosine" (cosine
        annealing over ``max_epochs``), "onecycle" (one cycle peaking at
        ``lr``, stepped every batch), "step" (multiply by ``lr_factor`` every
        third of ``max_epochs``), or a scheduler class, stepped every epoch.
    lr_patience : int, default=2
        Epochs without improvement before "plateau" lowers the rate.
    lr_factor : float, default=0.1
        Factor "plateau" and "step" multiply the rate by.
    lr_schedule_params : dict or None, default=None
        Further arguments of the scheduler, overriding those above
        (``{"gamma": 0.9}`` for :class:`torch.optim.lr_scheduler.ExponentialLR`).
    clip_grad_norm : float or None, default=None
        Clip the norm of the gradients to this value before each step.
    mixed_precision : bool or "bf16", default=False
        Run the forward passes under bfloat16 autocast
        (:class:`torch.autocast`); a CUDA device must support bfloat16.
    device_data_budget : float or None, default=None
        Largest training or prediction set, in GiB, copied to the device in
        one piece; a larger one streams to it one batch at a time. None
        means half the free memory of a CUDA device and no limit elsewhere.
    callbacks : list of skorch callbacks or None, default=None
        Extra :mod:`skorch.callbacks`, as ``[("name", callback), ...]``.
    warm_start : bool, default=False
        Whether :meth:`fit` continues from the previous weights.
    compile : bool, default=False
        Compile the module with :func:`torch.compile`."""

NOTES = """Besides these parameters, the estimator takes skorch's prefixed settings
    as keyword arguments, such as ``optimizer__betas=(0.9, 0.99)``,
    ``criterion__label_smoothing=0.1`` or ``callbacks__print_log=None``; they
    are parameters too (``get_params``, ``set_params``, grid searches).

    Methods that skmnist does not change, such as ``score``, ``get_params``
    and ``save_params``, are those of :class:`skorch.NeuralNetClassifier`
    and scikit-learn's :class:`~sklearn.base.ClassifierMixin`."""

ATTRIBUTES = """classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, in sorted order.
    n_features_in_ : int
        Number of pixels per sample (all channels).
    feature_names_in_ : ndarray of str
        Column names, when ``X`` was a DataFrame with string column names.
    image_shape_ : tuple of int
        (channels, height, width) the samples are read as.
    batch_size_ : int
        Images per training batch in the last :meth:`fit` or
        :meth:`partial_fit`: ``batch_size``, resolved from the number of
        training images when it is "auto".
    max_epochs_ : int
        Epochs the last :meth:`fit` trains at most: ``max_epochs``, resolved
        from the number of training images when it is "auto".
    pixel_range_ : tuple of float or None
        Lowest and highest training pixel as the network read it (integer
        pixels divided by 255); prediction input far outside it (0-255
        floats after training on 0-1, say) gets a warning that names the fix.
    module_ : torch.nn.Module
        The trained network.
    history_ : skorch.History
        Per-epoch records: ``train_loss``, ``train_acc``, ``dur``, ..."""
