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


@pytest.fixture(scope="package")
def ham_folder(tmp_path_factory):
    """A HAM10000-layout folder: 200x150 images, several per lesion, seven-diagnosis labels."""
    from lesion_training import synthetic
    return synthetic.write_path_manifest_folder(tmp_path_factory.mktemp("ham"), n_per_class=(10, 6))


@pytest.fixture(scope="package")
def external_folder(tmp_path_factory):
    """An ISIC 2018 test-layout folder (224x224)."""
    from lesion_training import synthetic
    return synthetic.write_path_manifest_folder(tmp_path_factory.mktemp("ext"), n_per_class=(8, 4), split="test",
                                                size=(224, 224), seed=2, images_per_lesion=1)
