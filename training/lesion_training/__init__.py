"""Lesion triage training: preprocessing contract, models, training, evaluation, ONNX export."""
__version__ = "1.0.0"
