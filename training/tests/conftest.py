import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(2)


@pytest.fixture(scope="package")
def synthetic_folder(tmp_path_factory):
    from lesion_training import synthetic
    return synthetic.write_image_folder(tmp_path_factory.mktemp("data"), n_per_class=(10, 6), size=48)
