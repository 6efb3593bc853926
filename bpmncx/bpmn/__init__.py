"""Reading BPMN files into the model (and, later, writing annotated BPMN back)."""

from .read import load_model, model_from_bytes

__all__ = ["load_model", "model_from_bytes"]
