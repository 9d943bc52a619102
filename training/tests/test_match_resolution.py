"""Resolution matching (train --match-resolution): degraded copies of the sharper training images, drawn with
probability p in training batches, never in validation; cached under a key of their own; recorded in the run."""
import argparse
import hashlib

import numpy as np
import pytest
import torch

from lesion_training import card, config_args, contract, degrade, sources, synthetic
from lesion_training import train as train_mod
from lesion_training.train import ResolutionMatch, TrainConfig

SIZE = (64, 64)


@pytest.fixture(scope="module")
def sharp_folder(tmp_path_factory):
    """ISIC 2017 layout at 64 px: the sharper source here."""
    return synthetic.write_image_folder(tmp_path_factory.mktemp("sharp"), n_per_class=(6, 4),
                                        splits=("train", "validation"), size=64, seed=5)


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory):
    """HAM10000 layout at 32x40 px: already at the matched resolution (short side 32)."""
    return synthetic.write_path_manifest_folder(tmp_path_factory.mktemp("small"), n_per_class=(6, 4),
                                                size=(32, 40), seed=6)


def _items(sharp_folder, small_folder):
    isic = [i for i in sources.catalogue(sources.ISIC2017, sharp_folder) if i.split == "train"]
    return sources.select(isic + sources.catalogue(sources.HAM10000, small_folder))


def test_only_images_above_the_short_side_get_a_degraded_copy(sharp_folder, small_folder, tmp_path):
    items = _items(sharp_folder, small_folder)
    copies = sources.load_degraded_arrays(items, 32, tmp_path / "cache", size=SIZE)
    sharp = [k for k, i in enumerate(items) if i.source == sources.ISIC2017]
    assert copies.index.tolist() == sharp and len(sharp) == 10 and len(items) == 20
    assert copies.images.shape == (10, 3) + SIZE and copies.images.dtype == np.float32
    plain = sources.load_arrays(items, None, size=SIZE).images
    for row, k in enumerate(copies.index):
        np.testing.assert_array_equal(copies.images[row], degrade.preprocess_file(items[k].path, 32, SIZE))
        assert not np.array_equal(copies.images[row], plain[k])
        # the probe's steps: decode, degrade_to, then the contract's resize
        rgb = contract.to_rgb8(contract.decode(items[k].path.read_bytes()))
        from PIL import Image
        np.testing.assert_array_equal(copies.images[row], contract.preprocess_image(
            Image.fromarray(degrade.degrade_to(rgb, 32)), SIZE))
    # detail lost, as in the probe
    assert degrade.detail(copies.images).mean() < degrade.detail(plain[copies.index]).mean()
    # nothing is above a short side of 64 (or 100): no copies at all
    assert len(sources.load_degraded_arrays(items, 64, None, size=SIZE)) == 0
    assert len(sources.load_degraded_arrays(items, 100, None, size=SIZE)) == 0
    # made once, then read from the cache
    assert [p.name.startswith("degraded-") for p in (tmp_path / "cache").iterdir()] == [True]
    again = sources.load_degraded_arrays(items, 32, tmp_path / "cache", size=SIZE)
    np.testing.assert_array_equal(again.index, copies.index)
    np.testing.assert_array_equal(again.images, copies.images)


def test_the_cache_key_changes_with_the_option_and_the_plain_key_does_not(sharp_folder, small_folder, tmp_path):
    items = _items(sharp_folder, small_folder)
    plain = sources.cache_key(items, (160, 160))
    # the key of the original tensors is the one caches were written under before (they stay valid)
    old = hashlib.sha256(("\n".join(f"{i.source}/{i.split}/{i.image_id}\t{i.sha256}" for i in items)
                          + contract.cache_key_text((160, 160))).encode()).hexdigest()[:16]
    assert plain == old
    keys = {sources.cache_key(items, (160, 160), degrade.cache_key_text(s, up))
            for s in (150, 128, 200) for up in degrade.UPSAMPLING}
    assert len(keys) == 6 and plain not in keys
    assert sources.cache_key(items, (160, 160), degrade.cache_key_text(150)) == \
        sources.cache_key(items, (160, 160), degrade.cache_key_text(150))
    assert sources.cache_key(items, (128, 128), degrade.cache_key_text(150)) not in keys
    sources.load_degraded_arrays(items, 32, tmp_path, size=SIZE)
    sources.load_degraded_arrays(items, 40, tmp_path, size=SIZE)
    sources.load_arrays(items, tmp_path, size=SIZE)
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["degraded", "degraded", "items"]


def _match(n=1000, p=0.3):
    images = np.zeros((n, 3, 2, 2), np.float32)
    has = np.arange(n) % 2 == 0  # every other image has a copy
    copies = sources.DegradedCopies(150, np.flatnonzero(has).astype(np.int64),
                                    np.ones((int(has.sum()), 3, 2, 2), np.float32))
    return images, has, ResolutionMatch.of(n, copies, p)


@pytest.mark.parametrize("p", [0.3, 0.5, 0.8])
def test_batches_take_the_copy_with_probability_p(p):
    images, has, match = _match(p=p)
    gen = torch.Generator().manual_seed(7)
    used, offered = 0, 0
    batches = []
    for _ in range(300):
        idx = torch.randint(0, len(images), (32,), generator=gen).numpy()
        x = train_mod.training_batch(images, idx, match, gen)
        batches.append(x)
        copied = x[:, 0, 0, 0] == 1.0
        assert not copied[~has[idx]].any()  # an image without a copy is never replaced
        used += int(copied[has[idx]].sum())
        offered += int(has[idx].sum())
    assert offered > 4000 and abs(used / offered - p) < 0.025
    assert not images.any()  # the training arrays stay as they are
    gen = torch.Generator().manual_seed(7)  # seeded: the same draws again
    for x in batches[:20]:
        idx = torch.randint(0, len(images), (32,), generator=gen).numpy()
        np.testing.assert_array_equal(train_mod.training_batch(images, idx, match, gen), x)


def test_with_p_1_every_copy_is_used_and_the_generator_is_untouched():
    images, has, match = _match(p=1.0)
    gen = torch.Generator().manual_seed(3)
    state = gen.get_state()
    idx = np.arange(64)
    x = train_mod.training_batch(images, idx, match, gen)
    np.testing.assert_array_equal(x[:, 0, 0, 0] == 1.0, has[idx])
    assert torch.equal(gen.get_state(), state)  # without matching, runs draw exactly what they drew before
    np.testing.assert_array_equal(train_mod.training_batch(images, idx, None, gen), images[idx])


def parse(*argv):
    p = argparse.ArgumentParser()
    config_args.add_arguments(p, TrainConfig)
    return config_args.from_args(TrainConfig, p.parse_args(list(argv)))


def test_the_option_round_trips_through_the_command_line_and_the_card():
    assert parse().match_resolution is None and parse().match_resolution_p == 1.0
    cfg = parse("--match-resolution", "150", "--match-resolution-p", "0.5")
    assert cfg.match_resolution == 150 and cfg.match_resolution_p == 0.5
    assert parse("--match-resolution", "").match_resolution is None
    for c in (cfg, parse("--match-resolution", "150"), parse("--model", "mobilenet_v2", "--image-size", "160",
                                                               "--match-resolution", "150", "--no-pretrained")):
        line = card.train_options(c.to_dict())  # the card's "reproduce" command line
        assert "--match-resolution 150" in line
        assert parse(*line.split()) == c
    assert "--match-resolution-p 0.5" in card.train_options(cfg.to_dict())
    assert "match-resolution" not in card.train_options(TrainConfig().to_dict())
    assert TrainConfig(**cfg.to_dict()) == cfg  # as a checkpoint stores and returns it


@pytest.mark.parametrize("bad", [dict(match_resolution=0), dict(match_resolution=150, match_resolution_p=0.0),
                                 dict(match_resolution=150, match_resolution_p=1.5), dict(match_resolution_p=0.5)])
def test_refused_values(bad):
    with pytest.raises(ValueError, match="match-resolution"):
        train_mod.check_config(TrainConfig(**bad))


@pytest.mark.parametrize("p", [1.0, 0.5])
def test_training_batches_use_the_copies_and_validation_never(sharp_folder, small_folder, tmp_path, monkeypatch, p):
    batches, validated = [], []
    real_batch, real_predict = train_mod.training_batch, train_mod.predict_logits

    def record_batch(images, idx, match, gen):
        x = real_batch(images, idx, match, gen)
        batches.append((np.array(idx), x.copy()))
        return x

    def record_predict(model, images, *a, **k):
        validated.append(images.copy())
        return real_predict(model, images, *a, **k)

    monkeypatch.setattr(train_mod, "training_batch", record_batch)
    monkeypatch.setattr(train_mod, "predict_logits", record_predict)
    cfg = TrainConfig(data=str(sharp_folder), ham10000=str(small_folder), model="triagenet", head="gap",
                      image_size=64, epochs=2, batch_size=8, match_resolution=32, match_resolution_p=p,
                      output_dir=str(tmp_path / "runs"), cache_dir=str(tmp_path / "cache"), threads=2,
                      precision="fp32")
    s = train_mod.train(cfg, progress=False)

    train_items, val_items, _ = train_mod.training_items(cfg)
    plain = sources.load_arrays(train_items, None, size=SIZE).images
    copies = sources.load_degraded_arrays(train_items, 32, None, size=SIZE)
    slot = {int(k): r for r, k in enumerate(copies.index)}
    assert {train_items[k].source for k in slot} == {sources.ISIC2017} and len(slot) == 10
    took = {True: 0, False: 0}
    assert len(batches) == 1 + 2 * (20 // 8)  # the normalisation sample, then two epochs of two steps
    for idx, x in batches:
        for row, k in enumerate(idx):
            if k in slot:
                degraded = np.array_equal(x[row], copies.images[slot[k]])
                assert degraded or np.array_equal(x[row], plain[k])
                took[degraded] += 1
            else:
                np.testing.assert_array_equal(x[row], plain[k])  # at or below the short side: untouched
    if p == 1.0:
        assert took[False] == 0 and took[True] > 0
    else:
        assert took[False] > 0 and took[True] > 0
    val_plain = sources.load_arrays(val_items, None, size=SIZE).images
    assert len(validated) == 2
    for v in validated:
        np.testing.assert_array_equal(v, val_plain)  # validation: the images as they are

    assert s["config"]["match_resolution"] == 32 and s["config"]["match_resolution_p"] == p
    assert s["resolution_matching"] == {"short_side": 32, "p": p, "upsample": "area", "degraded_images": 10,
                                        "degraded_by_source": {"ham10000": 0, "isic2017": 10}}
    ck = torch.load(tmp_path / "runs" / "triagenet" / "best.pt", map_location="cpu")
    assert ck["config"]["match_resolution"] == 32 and ck["resolution_matching"]["degraded_images"] == 10
    assert TrainConfig(**ck["config"]) == cfg
    assert "--match-resolution 32" in card.train_options(ck["config"])
    rm = card._resolution_matching(ck)["resolution_matching"]
    assert rm["short_side"] == 32 and rm["p"] == p and rm["degraded_images"] == 10
    assert sorted(f.name.split("-")[0] for f in (tmp_path / "cache").iterdir()) == ["degraded", "items", "items"]
