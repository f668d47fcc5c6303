"""Take a trained model anywhere: ONNX export through skl2onnx.

Importing this module registers skmnist's converters with skl2onnx
(its documented custom-converter API: a shape calculator and a converter for
each estimator and transformer), so that scikit-learn's own way of exporting
works on skmnist models and pipelines::

    import skmnist.onnx  # registers the converters
    from skl2onnx import to_onnx
    onx = to_onnx(pipeline, X[:1])

An estimator becomes one ONNX graph that takes its input as the estimator
does (flat rows or images, in the dtype of the sample given to ``to_onnx``:
integer pixels are read as 0-255 and scaled, float pixels are used as given),
reshapes and frames it as the estimator does, runs the network
(``torch.onnx.export`` of the fitted module, on the CPU) and outputs, as
skl2onnx's classifiers do, the labels (the estimator's own ``classes_``,
whole-number floats as int64) and the probabilities (a list of
``{class: probability}`` maps unless the ``zipmap`` option is False).
:class:`~skmnist.PixelNormalizer` becomes the same arithmetic in ONNX
operators. :class:`~skmnist.DigitNormalizer` has no ONNX
equivalent (connected regions, a centre of mass, resampling) and is refused
with a message. :func:`export_onnx` does it all in one call and writes the
file; ``skmnist export MODEL OUT.onnx`` is the same on the command line.

Needs the ``onnx`` extra: ``pip install "skmnist[onnx]"`` (skl2onnx, onnx,
onnxscript for torch's exporter, and onnxruntime to run the file).
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import io
import warnings
from pathlib import Path

import numpy as np
import torch

from ._files import write_bytes
from .estimators import BaseMNISTClassifier
from .estimators._data import prepare_batch
from .preprocessing import DigitNormalizer, PixelNormalizer

try:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from skl2onnx import to_onnx, update_registered_converter
    from skl2onnx.common.data_types import (
        FloatTensorType,
        Int64TensorType,
        StringTensorType,
        guess_data_type,
    )
    from skl2onnx.helpers import add_onnx_graph
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise ImportError(
        f'skmnist.onnx needs the onnx extra ({exc.name} is missing): pip install "skmnist[onnx]"'
    ) from None

__all__ = ["export_onnx"]

# the torch dtype of each ONNX element type a model's input may have
_TORCH_DTYPES = {
    TensorProto.FLOAT: torch.float32,
    TensorProto.DOUBLE: torch.float64,
    TensorProto.UINT8: torch.uint8,
    TensorProto.INT8: torch.int8,
    TensorProto.INT16: torch.int16,
    TensorProto.INT32: torch.int32,
    TensorProto.INT64: torch.int64,
}


class _AsTheEstimatorReadsIt(torch.nn.Module):
    """The fitted network with the estimator's input preparation and a softmax."""

    def __init__(self, estimator):
        super().__init__()
        # a copy on the CPU: the estimator's own network stays where it is
        self.module = copy.deepcopy(estimator.module_).to("cpu")
        self.image_shape = estimator.image_shape_
        self.frame = estimator._module_input_shape()[1:]
        self.flat = estimator._native_image_shape is None

    def forward(self, X):
        x = prepare_batch(
            X.reshape(X.shape[0], -1),
            image_shape=self.image_shape,
            frame=self.frame,
            flat=self.flat,
        )
        return torch.softmax(self.module(x).float(), dim=1)


def _network_graph(estimator, input_type, opset, *, nocl=False):
    """The estimator as an ONNX model: ``X`` in, ``label`` and ``probabilities`` out;
    with ``nocl`` (skl2onnx's option), the labels are the class indices."""
    dtype = _TORCH_DTYPES.get(input_type._get_element_onnx_type())
    if dtype is None:
        raise TypeError(
            f"{type(estimator).__name__} cannot be exported for input of type "
            f"{type(input_type).__name__}; export it with a sample of uint8 or float pixels."
        )
    dims = input_type.shape[1:]
    sample_shape = (
        [int(d) for d in dims]
        if all(isinstance(d, int) for d in dims)
        else [int(np.prod(estimator.image_shape_))]  # a sample's shape left open: flat rows
    )
    wrapper = _AsTheEstimatorReadsIt(estimator).eval()
    example = torch.zeros((2, *sample_shape), dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            wrapper,
            (example,),
            dynamo=True,
            dynamic_shapes=({0: torch.export.Dim("n")},),
            opset_version=opset,
            verbose=False,
        )
    assert program is not None  # dynamo=True always returns the program
    model = program.model_proto
    graph = model.graph
    (proba,) = [output.name for output in graph.output]
    classes = np.asarray(estimator.classes_)
    if nocl:
        labels, label_type = np.arange(len(classes), dtype=np.int64), TensorProto.INT64
    elif _label_kind(estimator) == "int":
        labels, label_type = classes.astype(np.int64), TensorProto.INT64
    else:
        labels, label_type = classes.astype(str).astype(object), TensorProto.STRING
    graph.initializer.append(numpy_helper.from_array(labels, name="skmnist_classes"))
    graph.node.extend(
        [
            helper.make_node(
                "ArgMax", [proba], ["skmnist_index"], name="skmnist_argmax", axis=1, keepdims=0
            ),
            helper.make_node(
                "Gather",
                ["skmnist_classes", "skmnist_index"],
                ["label"],
                name="skmnist_label",
                axis=0,
            ),
        ]
    )
    del graph.output[:]
    graph.output.extend(
        [
            helper.make_tensor_value_info("label", label_type, [None]),
            helper.make_tensor_value_info(proba, TensorProto.FLOAT, [None, len(classes)]),
        ]
    )
    return model


def _label_kind(estimator, nocl=False):
    """How the model outputs ``classes_``: "int" or "str" (whole-number floats, the only
    floats a classifier is fitted on, become int64 as in skl2onnx's classifiers; with
    ``nocl``, the labels are the class indices)."""
    if nocl or np.asarray(estimator.classes_).dtype.kind in "iubf":
        return "int"
    return "str"


def _estimator_shapes(operator):
    estimator = operator.raw_operator
    n = operator.inputs[0].get_first_dimension()
    nocl = operator.scope_inst.get_options(estimator, {"nocl": False})["nocl"]
    label_type = Int64TensorType if _label_kind(estimator, nocl) == "int" else StringTensorType
    operator.outputs[0].type = label_type([n])
    operator.outputs[1].type = FloatTensorType([n, len(estimator.classes_)])


def _convert_estimator(scope, operator, container):
    estimator = operator.raw_operator
    estimator.check_is_fitted()
    opset = container.target_opset
    nocl = container.get_options(estimator, {"nocl": False})["nocl"]
    model = _network_graph(estimator, operator.inputs[0].type, opset, nocl=nocl)
    add_onnx_graph(scope, operator, container, model)


def _pixel_shapes(operator):
    input_type = operator.inputs[0].type
    operator.outputs[0].type = FloatTensorType(input_type.shape)


def _convert_pixel_normalizer(scope, operator, container):
    transformer = operator.raw_operator
    scale = np.float32(transformer.max_value)
    mean, std = np.float32(transformer.mean_), np.float32(transformer.std_)
    names = {
        name: scope.get_unique_variable_name(name)
        for name in ("as_float", "scaled", "centred", "max_value", "mean", "std")
    }
    for name, value in (("max_value", scale), ("mean", mean), ("std", std)):
        container.add_initializer(names[name], TensorProto.FLOAT, [], [float(value)])
    container.add_node(
        "Cast",
        operator.inputs[0].full_name,
        names["as_float"],
        to=TensorProto.FLOAT,
        name=scope.get_unique_operator_name("Cast"),
    )
    container.add_node(
        "Div",
        [names["as_float"], names["max_value"]],
        names["scaled"],
        name=scope.get_unique_operator_name("Div"),
    )
    container.add_node(
        "Sub",
        [names["scaled"], names["mean"]],
        names["centred"],
        name=scope.get_unique_operator_name("Sub"),
    )
    container.add_node(
        "Div",
        [names["centred"], names["std"]],
        operator.outputs[0].full_name,
        name=scope.get_unique_operator_name("Div"),
    )


def _refuse_digit_normalizer(operator):
    raise NotImplementedError(
        "DigitNormalizer cannot be exported to ONNX: its steps (inverting light "
        "backgrounds, cropping to the ink's connected regions, resizing and centring by "
        "the centre of mass) have no ONNX equivalent. Export the pipeline without it and "
        "prepare the images before the exported model (with DigitNormalizer in Python, "
        "or its steps in the language the model runs in)."
    )


def _register():
    """Register skmnist's converters with skl2onnx (each class and its subclasses)."""
    from .estimators._persistence import _estimator_classes

    for cls in _estimator_classes().values():
        update_registered_converter(
            cls,
            f"Skmnist{cls.__name__}",
            _estimator_shapes,
            _convert_estimator,
            options={"zipmap": [True, False, "columns"], "nocl": [True, False]},
            overwrite=True,
        )
    update_registered_converter(
        PixelNormalizer,
        "SkmnistPixelNormalizer",
        _pixel_shapes,
        _convert_pixel_normalizer,
        overwrite=True,
    )
    update_registered_converter(
        DigitNormalizer,
        "SkmnistDigitNormalizer",
        _refuse_digit_normalizer,  # the shape calculator runs first, and refuses
        _convert_estimator,
        overwrite=True,
    )


_register()


def export_onnx(model, path, X=None, *, zipmap=True):
    """Export a fitted skmnist estimator or pipeline to an ONNX file.

    Parameters
    ----------
    model : estimator or Pipeline
        A fitted skmnist estimator, or a fitted Pipeline of
        :class:`~skmnist.PixelNormalizer` steps ending in one.
    path : str or path-like
        The ``.onnx`` file to write (written whole, or not at all).
    X : array-like, default=None
        One or more samples as the model will be given them: their dtype and
        layout (flat rows, ``(n, h, w)`` or ``(n, c, h, w)``) are the ONNX
        input's. None means uint8 flat rows of the fitted image shape.
    zipmap : bool, default=True
        Probabilities as a list of ``{class: probability}`` maps, as skl2onnx's
        classifiers give them; False gives a float tensor of shape
        ``(n_samples, n_classes)``.

    Returns
    -------
    model_proto : onnx.ModelProto
        The exported model, as written.

    Examples
    --------
    >>> import os, tempfile
    >>> import onnxruntime
    >>> from sklearn.pipeline import make_pipeline
    >>> from skmnist import LeNet5Classifier, PixelNormalizer, load_mnist_sample
    >>> from skmnist.onnx import export_onnx
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> model = make_pipeline(PixelNormalizer(), LeNet5Classifier(max_epochs=1, random_state=0))
    >>> model = model.fit(X[:500], y[:500])
    >>> path = os.path.join(tempfile.mkdtemp(), "lenet5.onnx")
    >>> _ = export_onnx(model, path, X[:1], zipmap=False)
    >>> session = onnxruntime.InferenceSession(path)
    >>> labels, proba = session.run(None, {"X": X[:5]})
    >>> bool((labels == model.predict(X[:5])).all()), proba.shape
    (True, (5, 10))
    """
    final = model[-1] if hasattr(model, "steps") else model
    if not isinstance(final, BaseMNISTClassifier):
        raise TypeError(
            f"export_onnx exports skmnist estimators and pipelines ending in one; got "
            f"{type(final).__name__}."
        )
    final.check_is_fitted()
    if X is None:
        X = np.zeros((1, int(np.prod(final.image_shape_))), dtype=np.uint8)
    X = np.asarray(X)
    options = {id(final): {"zipmap": zipmap}}
    initial_types = [("X", _tensor_type(X))]
    onx = to_onnx(model, initial_types=initial_types, options=options)
    onnx.checker.check_model(onx)
    write_bytes(path, onx.SerializeToString(), verify=_verify)
    return onx


def _tensor_type(X):
    ((_, tensor_type),) = guess_data_type(X)
    return type(tensor_type)([None, *X.shape[1:]])


def _verify(written: Path):
    onnx.checker.check_model(onnx.load(io.BytesIO(written.read_bytes())))
