import shutil

import numpy as np
import pytest

from lesion_training import cli
from lesion_training import data


def copy(folder, tmp_path):
    dst = tmp_path / "d"
    shutil.copytree(folder, dst)
    return dst


def test_good_folder(synthetic_folder):
    counts = data.verify(synthetic_folder)
    assert counts["train/melanoma"] == 6 and counts["test/non_melanoma"] == 10
    assert cli.main(["verify-data", "--data", str(synthetic_folder)]) == 0


def test_corrupt_file(synthetic_folder, tmp_path):
    d = copy(synthetic_folder, tmp_path)
    f = next((d / "train" / "melanoma").iterdir())
    f.write_bytes(f.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(data.DataSetError, match="sha256 differs"):
        data.verify(d)
    assert cli.main(["verify-data", "--data", str(d)]) == 2


def test_file_in_wrong_class(synthetic_folder, tmp_path):
    d = copy(synthetic_folder, tmp_path)
    f = next((d / "validation" / "melanoma").iterdir())
    f.rename(d / "validation" / "non_melanoma" / f.name)
    with pytest.raises(data.DataSetError, match="wrong folder") as e:
        data.verify(d)
    assert "missing" in str(e.value)


def test_missing_and_unlisted(synthetic_folder, tmp_path):
    d = copy(synthetic_folder, tmp_path)
    files = sorted((d / "test" / "melanoma").iterdir())
    files[0].unlink()
    (d / "test" / "melanoma" / "EXTRA.jpg").write_bytes(files[1].read_bytes())
    with pytest.raises(data.DataSetError) as e:
        data.verify(d)
    assert "missing" in str(e.value) and "not listed" in str(e.value)
    (d / "MANIFEST.tsv").unlink()
    with pytest.raises(data.DataSetError, match="MANIFEST.tsv"):
        data.verify(d)


def test_load_split_cache_and_subset(synthetic_folder, tmp_path):
    a = data.load_split(synthetic_folder, "train", tmp_path / "cache")
    assert a.images.shape == (16, 3, 128, 128) and a.images.dtype == np.float32
    assert a.labels.tolist().count(1) == 6
    assert len(list((tmp_path / "cache").iterdir())) == 1
    b = data.load_split(synthetic_folder, "train", tmp_path / "cache")
    np.testing.assert_array_equal(a.images, b.images)
    sub = data.load_split(synthetic_folder, "train", None, limit=8)
    assert len(sub) == 8 and 1 in sub.labels and 0 in sub.labels
    w = data.class_weights(a.labels)
    assert w[1] * 6 == pytest.approx(w[0] * 10)
