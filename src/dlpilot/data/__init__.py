"""Sources: CSV/Parquet, image folders, .npz and built-ins, each to one `Dataset`.

This package loads and types data; it never splits it or chooses metrics.
"""

from dlpilot.data.arrays import arrays_to_dataset, load_npz
from dlpilot.data.builtins import BUILTINS, BuiltinDataset, load_builtin
from dlpilot.data.dataset import Dataset, ImageFiles, subset, table_view, take
from dlpilot.data.images import load_image_folder, scan_headers
from dlpilot.data.sources import load_source
from dlpilot.data.tables import frame_to_dataset, load_table

__all__ = [
    "BUILTINS",
    "BuiltinDataset",
    "Dataset",
    "ImageFiles",
    "arrays_to_dataset",
    "frame_to_dataset",
    "load_builtin",
    "load_image_folder",
    "load_npz",
    "load_source",
    "load_table",
    "scan_headers",
    "subset",
    "table_view",
    "take",
]
