"""The catalogue of image sources: manifests, labels, verification, any image size, samplers."""
import numpy as np
import pytest

from lesion_training import contract, data, sources
from lesion_training.train import sampling_weights


def test_path_manifest_layout_reads_labels_lesions_and_diagnoses(ham_folder):
    items = sources.catalogue(sources.HAM10000, ham_folder)
    assert len(items) == 16 and sum(i.label for i in items) == 6
    assert {i.dx for i in items if i.label == 1} == {"mel"}
    assert {i.dx for i in items if i.label == 0} == {"nv", "bkl", "bcc"}
    # two images per lesion: the group is the lesion, not the image
    assert len({i.group for i in items}) == 8
    assert all(i.split == "train" and i.source == sources.HAM10000 for i in items)


def test_isic2017_layout_becomes_items(synthetic_folder):
    items = sources.catalogue(sources.ISIC2017, synthetic_folder)
    assert {i.split for i in items} == {"train", "validation", "test"}
    assert {i.dx for i in items} == {"mel", sources.ISIC2017_BENIGN_DX}


def test_verification_refuses_a_corrupt_image(ham_folder, tmp_path):
    import shutil
    copy = tmp_path / "ham"
    shutil.copytree(ham_folder, copy)
    items = sources.catalogue(sources.HAM10000, copy)
    sources.verify_items(copy, items, sources.HAM10000)
    victim = items[3].path
    victim.write_bytes(victim.read_bytes()[:-10])
    with pytest.raises(data.DataSetError, match="sha256 differs"):
        sources.verify_items(copy, items, sources.HAM10000)
    victim.unlink()
    with pytest.raises(data.DataSetError, match="missing"):
        sources.verify_items(copy, items, sources.HAM10000)


def test_any_image_size_goes_through_the_contract_and_is_cached(ham_folder, external_folder, tmp_path):
    items = sources.catalogue(sources.HAM10000, ham_folder) + sources.catalogue(sources.ISIC2018_TEST,
                                                                                 external_folder)
    a = sources.load_arrays(items, tmp_path / "cache")
    assert a.images.shape == (len(items), 3) + contract.INPUT_SIZE and a.images.dtype == np.float32
    np.testing.assert_array_equal(a.images[0], contract.preprocess_file(items[0].path))
    assert len(list((tmp_path / "cache").iterdir())) == 1
    b = sources.load_arrays(items, tmp_path / "cache")
    np.testing.assert_array_equal(a.images, b.images)
    c = sources.load_arrays(items, tmp_path / "cache", size=(160, 160))  # another size: another cache file
    assert c.images.shape == (len(items), 3, 160, 160) and len(list((tmp_path / "cache").iterdir())) == 2
    np.testing.assert_array_equal(c.images[0], contract.preprocess_file(items[0].path, (160, 160)))


def test_stratified_subset_is_deterministic(ham_folder):
    items = sources.catalogue(sources.HAM10000, ham_folder)
    a = sources.select(items, "train", limit=8, seed=3)
    assert a == sources.select(items, "train", limit=8, seed=3)
    assert len(a) == 8 and 0 < sum(i.label for i in a) < 8


def test_source_sampler_gives_sources_square_root_shares_and_balances_classes(synthetic_folder, ham_folder):
    items = [i for i in sources.catalogue(sources.ISIC2017, synthetic_folder) if i.split == "train"] \
        + sources.catalogue(sources.HAM10000, ham_folder)
    arrays = sources.ItemArrays(items, np.zeros((len(items), 1), np.float32),
                                np.array([i.label for i in items]))
    w = sampling_weights(arrays, "source_sampler")
    src = arrays.sources()
    assert w.sum() == pytest.approx(1.0)
    n_isic, n_ham = (src == sources.ISIC2017).sum(), (src == sources.HAM10000).sum()
    assert w[src == sources.HAM10000].sum() == pytest.approx(np.sqrt(n_ham) / (np.sqrt(n_ham) + np.sqrt(n_isic)))
    for s in (sources.ISIC2017, sources.HAM10000):
        m = src == s
        assert w[m & (arrays.labels == 1)].sum() == pytest.approx(w[m & (arrays.labels == 0)].sum())
    assert sampling_weights(arrays, "weights") is None


def test_near_duplicate_ids_are_the_test_side_of_each_pair(tmp_path):
    (tmp_path / "NEAR_DUPLICATES.tsv").write_text(
        "id_a\tsplit_a\tclass_a\tid_b\tsplit_b\tclass_b\tcorr16\tdetailcorr\n"
        "ISIC_1\ttest\tmelanoma\tISIC_2\ttrain\tmelanoma\t0.99\t0.9\n"
        "ISIC_3\tvalidation\tnon_melanoma\tISIC_4\ttest\tnon_melanoma\t0.99\t0.9\n"
        "ISIC_5\ttrain\tnon_melanoma\tISIC_6\tvalidation\tnon_melanoma\t0.99\t0.9\n")
    assert sources.near_duplicate_ids(tmp_path) == {"ISIC_1", "ISIC_4"}
    assert sources.near_duplicate_ids(tmp_path / "absent") == set()
