"""Automatic mixed precision (MXNet 1.9.1's ``mx.contrib.amp``)."""
from .amp import (convert_hybrid_block, convert_model, convert_symbol, init, init_trainer,
                  list_conditional_fp32_ops,
                  list_fp32_ops, list_lp16_fp32_ops, list_lp16_ops,
                  list_loss_output_functions, list_lp16_use_fp32_params,
                  list_widest_type_cast, scale_loss, unscale)
from .loss_scaler import LossScaler
from . import lists

__all__ = ["init", "init_trainer", "scale_loss", "unscale", "convert_hybrid_block",
           "convert_symbol", "convert_model",
           "LossScaler", "list_lp16_ops", "list_fp32_ops", "list_lp16_fp32_ops",
           "list_conditional_fp32_ops", "list_widest_type_cast",
           "list_loss_output_functions", "list_lp16_use_fp32_params", "lists"]
