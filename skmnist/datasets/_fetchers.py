"""The public fetchers of MNIST, Fashion-MNIST and KMNIST: local, verified, else downloaded."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import textwrap

from sklearn.utils import Bunch

from ._sources import _TARGET_NAMES, _fetch

#: The parameters the three fetchers share, documented once.
_PARAMETERS = """Parameters
    ----------
    data_home : str or path-like, default=None
        The data folder; if None, ``SKMNIST_DATA`` or else ``~/skmnist_data``.
    subset : {"train", "test", "all"}, default="train"
        The 60,000 training images, the 10,000 test images, or all 70,000,
        training images first.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame of uint8 pixel columns,
        ``target`` a Series, and the Bunch also holds ``frame``, the DataFrame
        of both (as :func:`sklearn.datasets.fetch_openml` returns them).
    download_if_missing : bool, default=True
        If False, raise a :class:`FileNotFoundError` instead of downloading
        missing files.
    mirrors : str, path-like or list of them, default=None
        Where to download from before the built-in mirrors: base URLs or
        local folders in the data home's layout (``<mirror>/<data set>/``
        holding the ``.gz`` files), a list or one string separated by
        spaces. None reads ``SKMNIST_MIRRORS``. Checksums are verified
        whatever the source.
    verify : bool, default=True
        Whether files found in the data folder are checked against the
        published checksums. False reads a copy known to differ from the
        published files, such as one re-ordered or re-compressed by a
        redistribution, with structural checks only (images 3-D, labels 1-D
        integers in range, as many labels as images); ``DESCR`` then says the
        data is unverified. Downloads are verified whatever this says.
"""


#: The Returns and Raises sections of the three fetchers, documented once; each fetcher
#: names its classes in place of ``{target_names}``.
_RETURNS = """Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, 784) of uint8, or DataFrame
            The images, flattened row by row; pixels 0 (background) to 255.
        images : ndarray of shape (n_samples, 28, 28) of uint8
            The images; the same memory as ``data`` (a view, not a copy).
        target : ndarray of shape (n_samples,) of int64, or Series
            The labels, 0 to 9.
        target_names : list of str
{target_names}
        feature_names : list of str
            The pixels' names, ``"pixel1"`` to ``"pixel784"`` (as on OpenML).
        frame : DataFrame or None
            With ``as_frame=True``, the pixel columns and a ``"class"`` column;
            else None.
        DESCR : str
            The data set's description: source, license, sizes, citation.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If files are missing and ``download_if_missing`` is False; the message
        lists every path searched.
    OSError
        If a missing file could not be downloaded from any mirror; the message
        lists each URL tried and why it failed.
    ValueError
        If ``subset`` is not valid, or a file is not a valid IDX file, does not
        fit the others, or fails verification.
"""


def _shared_sections(dataset, romanized=False):
    """Put :data:`_PARAMETERS` and :data:`_RETURNS` in the places ``{parameters}`` and
    ``{returns}`` hold in the docstring of ``dataset``'s fetcher, with its class names."""
    names = ", ".join(f'``"{name}"``' for name in _TARGET_NAMES[dataset])
    line = f"The class names, indexed by label{' (romanized)' * romanized}: {names}."
    indent = " " * 12
    returns = _RETURNS.replace(
        "{target_names}", textwrap.fill(line, 88, initial_indent=indent, subsequent_indent=indent)
    )

    def document(fetcher):
        fetcher.__doc__ = fetcher.__doc__.replace("{parameters}", _PARAMETERS.rstrip()).replace(
            "{returns}", returns.rstrip()
        )
        return fetcher

    return document


@_shared_sections("mnist")
def fetch_mnist(
    *,
    data_home: str | os.PathLike | None = None,
    subset: str = "train",
    return_X_y: bool = False,
    as_frame: bool = False,
    download_if_missing: bool = True,
    mirrors: str | os.PathLike | list | None = None,
    verify: bool = True,
) -> Bunch | tuple:
    """Load the MNIST data set, verified, downloading it if missing.

    70,000 grayscale images of handwritten digits, 28x28 pixels, in 10
    classes: 60,000 for training and 10,000 for testing (LeCun, Cortes and
    Burges; CC BY-SA 3.0). The full training set takes 47 MB, kept uint8.

    The four IDX files are looked for in ``<data_home>/mnist/``
    (see :func:`~skmnist.datasets.get_data_home`), under their original names
    (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``) or Kaggle's
    (``train-images.idx3-ubyte``, ...), each gzipped (``.gz``) or not. Only
    the files the subset needs are read, or downloaded if missing.

    Each file is verified while it is read, in the same pass over its bytes.
    MNIST files are verified by the SHA-256 of their decompressed contents,
    so the original ``.gz`` files, re-compressed copies and uncompressed
    files are all verified. A file that fails verification raises an error
    that says to delete it.
    Files downloaded are verified by the MD5 of the published ``.gz`` as they
    arrive, and moved into place only when complete and correct.

    {parameters}

    {returns}

    See Also
    --------
    load_mnist_sample : A small sample of MNIST shipped with skmnist.
    load_idx_folder : Load any folder of MNIST-format IDX files, unverified.

    Examples
    --------
    Without the files and without downloading, the error says where to put
    them:

    >>> import tempfile
    >>> from skmnist.datasets import fetch_mnist
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +ELLIPSIS
    ...     fetch_mnist(data_home=tmp, download_if_missing=False)
    Traceback (most recent call last):
        ...
    FileNotFoundError: MNIST not found and download_if_missing=False;...

    With the data (downloaded on first use):

    >>> mnist = fetch_mnist(subset="test")  # doctest: +SKIP
    >>> mnist.data.shape, mnist.images.shape, mnist.data.dtype  # doctest: +SKIP
    ((10000, 784), (10000, 28, 28), dtype('uint8'))
    >>> X, y = fetch_mnist(return_X_y=True)  # doctest: +SKIP
    >>> X.shape, y.shape  # doctest: +SKIP
    ((60000, 784), (60000,))
    """
    return _fetch(
        "mnist",
        data_home=data_home,
        subset=subset,
        return_X_y=return_X_y,
        as_frame=as_frame,
        download_if_missing=download_if_missing,
        mirrors=mirrors,
        verify=verify,
    )


@_shared_sections("fashion-mnist")
def fetch_fashion_mnist(
    *,
    data_home: str | os.PathLike | None = None,
    subset: str = "train",
    return_X_y: bool = False,
    as_frame: bool = False,
    download_if_missing: bool = True,
    mirrors: str | os.PathLike | list | None = None,
    verify: bool = True,
) -> Bunch | tuple:
    """Load the Fashion-MNIST data set, verified, downloading it if missing.

    70,000 grayscale images of Zalando articles, 28x28 pixels, in 10
    classes: 60,000 for training and 10,000 for testing (Xiao, Rasul and
    Vollgraf; MIT license).

    The four IDX files are looked for in ``<data_home>/fashion-mnist/``
    (see :func:`~skmnist.datasets.get_data_home`), under their original names
    (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``) or Kaggle's
    (``train-images.idx3-ubyte``, ...), each gzipped (``.gz``) or not. Only
    the files the subset needs are read, or downloaded if missing.

    Each file is verified while it is read, in the same pass over its bytes.
    Fashion-MNIST publishes the MD5 of its ``.gz`` files only, so a gzipped file
    is verified by its MD5 (a re-compressed copy fails, even with the right
    contents) and an uncompressed file cannot be verified: it gets a warning
    and structural checks only (images 3-D, labels 1-D integers from 0 to 9,
    as many labels as images). A file that fails verification raises an
    error that says to delete it.
    Files downloaded are verified by the MD5 of the published ``.gz`` as they
    arrive, and moved into place only when complete and correct.

    Copies of Fashion-MNIST rebuilt from a redistribution (in another image
    order, say) hold the same kind of data under other checksums, so they fail
    verification; ``verify=False`` reads them. Their train/test split need
    not be the official one: say so next to results made with them.

    {parameters}

    {returns}

    See Also
    --------
    load_mnist_sample : A small sample of MNIST shipped with skmnist.
    load_idx_folder : Load any folder of MNIST-format IDX files, unverified.

    Examples
    --------
    Without the files and without downloading, the error says where to put
    them:

    >>> import tempfile
    >>> from skmnist.datasets import fetch_fashion_mnist
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +ELLIPSIS
    ...     fetch_fashion_mnist(data_home=tmp, download_if_missing=False)
    Traceback (most recent call last):
        ...
    FileNotFoundError: Fashion-MNIST not found and download_if_missing=False;...

    With the data (downloaded on first use):

    >>> fashion = fetch_fashion_mnist(subset="test")  # doctest: +SKIP
    >>> fashion.data.shape, fashion.images.shape, fashion.data.dtype  # doctest: +SKIP
    ((10000, 784), (10000, 28, 28), dtype('uint8'))
    >>> X, y = fetch_fashion_mnist(return_X_y=True)  # doctest: +SKIP
    >>> X.shape, y.shape  # doctest: +SKIP
    ((60000, 784), (60000,))
    """
    return _fetch(
        "fashion-mnist",
        data_home=data_home,
        subset=subset,
        return_X_y=return_X_y,
        as_frame=as_frame,
        download_if_missing=download_if_missing,
        mirrors=mirrors,
        verify=verify,
    )


@_shared_sections("kmnist", romanized=True)
def fetch_kmnist(
    *,
    data_home: str | os.PathLike | None = None,
    subset: str = "train",
    return_X_y: bool = False,
    as_frame: bool = False,
    download_if_missing: bool = True,
    mirrors: str | os.PathLike | list | None = None,
    verify: bool = True,
) -> Bunch | tuple:
    """Load the KMNIST data set, verified, downloading it if missing.

    Kuzushiji-MNIST: 70,000 grayscale images of cursive Japanese
    characters, 28x28 pixels, in 10 classes, one for each row of hiragana:
    60,000 for training and 10,000 for testing (CODH; CC BY-SA 4.0).

    The four IDX files are looked for in ``<data_home>/kmnist/``
    (see :func:`~skmnist.datasets.get_data_home`), under their original names
    (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``) or Kaggle's
    (``train-images.idx3-ubyte``, ...), each gzipped (``.gz``) or not. Only
    the files the subset needs are read, or downloaded if missing.

    Each file is verified while it is read, in the same pass over its bytes.
    KMNIST publishes the MD5 of its ``.gz`` files only, so a gzipped file
    is verified by its MD5 (a re-compressed copy fails, even with the right
    contents) and an uncompressed file cannot be verified: it gets a warning
    and structural checks only (images 3-D, labels 1-D integers from 0 to 9,
    as many labels as images). A file that fails verification raises an
    error that says to delete it.
    Files downloaded are verified by the MD5 of the published ``.gz`` as they
    arrive, and moved into place only when complete and correct.

    {parameters}

    {returns}

    See Also
    --------
    load_mnist_sample : A small sample of MNIST shipped with skmnist.
    load_idx_folder : Load any folder of MNIST-format IDX files, unverified.

    Examples
    --------
    Without the files and without downloading, the error says where to put
    them:

    >>> import tempfile
    >>> from skmnist.datasets import fetch_kmnist
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +ELLIPSIS
    ...     fetch_kmnist(data_home=tmp, download_if_missing=False)
    Traceback (most recent call last):
        ...
    FileNotFoundError: KMNIST not found and download_if_missing=False;...

    With the data (downloaded on first use):

    >>> kmnist = fetch_kmnist(subset="test")  # doctest: +SKIP
    >>> kmnist.data.shape, kmnist.images.shape, kmnist.data.dtype  # doctest: +SKIP
    ((10000, 784), (10000, 28, 28), dtype('uint8'))
    >>> X, y = fetch_kmnist(return_X_y=True)  # doctest: +SKIP
    >>> X.shape, y.shape  # doctest: +SKIP
    ((60000, 784), (60000,))
    """
    return _fetch(
        "kmnist",
        data_home=data_home,
        subset=subset,
        return_X_y=return_X_y,
        as_frame=as_frame,
        download_if_missing=download_if_missing,
        mirrors=mirrors,
        verify=verify,
    )
