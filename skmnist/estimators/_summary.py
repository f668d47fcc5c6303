"""A per-layer summary of a torch module: output shapes and parameter counts."""

import pandas as pd
import torch


def model_summary(module, input_shape, *, as_text=False):
    """Summarise ``module`` run on one zero input of shape ``input_shape``.

    Parameters
    ----------
    module : torch.nn.Module
        The network. It is run once, in evaluation mode, on a zero input.
    input_shape : tuple of int
        Shape of one sample, without the batch dimension.
    as_text : bool, default=False
        Return a printable table with the totals instead of a DataFrame.

    Returns
    -------
    summary : pandas.DataFrame or str
        One row per leaf layer: ``layer`` (its name in the module),
        ``type``, ``output_shape`` (without the batch dimension) and
        ``n_params``.

    Examples
    --------
    >>> from skmnist.nets import LeNet5
    >>> from skmnist.estimators import model_summary
    >>> table = model_summary(LeNet5(), (1, 28, 28))
    >>> int(table["n_params"].sum())
    61706
    >>> table.iloc[0].to_dict()
    {'layer': 'features.0', 'type': 'Conv2d', 'output_shape': (6, 28, 28), 'n_params': 156}
    """
    rows, hooks = [], []
    for name, layer in module.named_modules():
        if list(layer.children()):
            continue

        def record(layer, inputs, output, name=name):
            rows.append(
                (
                    name,
                    type(layer).__name__,
                    tuple(output.shape[1:]),
                    sum(p.numel() for p in layer.parameters(recurse=False)),
                )
            )

        hooks.append(layer.register_forward_hook(record))
    was_training = module.training
    parameter = next(module.parameters(), None)
    device = parameter.device if parameter is not None else "cpu"
    try:
        module.eval()
        with torch.no_grad():
            module(torch.zeros((2, *input_shape), device=device))
    finally:
        module.train(was_training)
        for hook in hooks:
            hook.remove()
    table = pd.DataFrame(rows, columns=["layer", "type", "output_shape", "n_params"])
    if not as_text:
        return table
    total = sum(p.numel() for p in module.parameters())
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    return (
        f"{type(module).__name__} on input {tuple(input_shape)}\n"
        f"{table.to_string(index=False)}\n"
        f"Total parameters: {total:,} (trainable: {trainable:,})"
    )


def epoch_rows(history):
    """The per-epoch records of a skorch ``History``, without their per-batch records."""
    return [{k: v for k, v in row.items() if k != "batches"} for row in history]
