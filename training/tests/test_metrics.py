import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from lesion_training import metrics


def test_auc_by_hand_and_ties():
    assert metrics.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert metrics.roc_auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    assert metrics.roc_auc([0, 0, 1], [0.2, 0.2, 0.2]) == pytest.approx(0.5)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.random(300) + 0.3 * y, 2)
    assert metrics.roc_auc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)


def test_bootstrap_ci_contains_auc():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    s = rng.random(200) + 0.5 * y
    lo, hi = metrics.bootstrap_auc_ci(y, s, n_boot=300)
    assert lo < metrics.roc_auc(y, s) < hi


def test_confusion_and_sens_spec():
    y = [0, 0, 0, 1, 1]
    p = [0.1, 0.6, 0.3, 0.7, 0.2]
    cm = metrics.confusion_matrix(y, [int(v >= 0.5) for v in p])
    np.testing.assert_array_equal(cm, [[2, 1], [1, 1]])
    assert metrics.sens_spec(y, p, 0.5) == (0.5, pytest.approx(2 / 3))
    assert metrics.sens_spec(y, p, 0.2) == (1.0, pytest.approx(1 / 3))  # >= threshold is positive
    assert metrics.accuracy(y, [0, 1, 0, 1, 0]) == pytest.approx(0.6)
    assert metrics.balanced_accuracy(y, [0, 1, 0, 1, 0]) == pytest.approx((2 / 3 + 1 / 2) / 2)
    rep = metrics.classification_report(y, [0, 1, 0, 1, 0], ["non_melanoma", "melanoma"])
    assert rep["melanoma"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert rep["non_melanoma"]["precision"] == pytest.approx(2 / 3)


def test_threshold_rule_is_largest_with_target_sensitivity():
    pos = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]
    y = [1] * 10 + [0] * 5
    s = pos + [0.95, 0.5, 0.3, 0.02, 0.01]
    t = metrics.threshold_for_sensitivity(y, s, 0.90)
    assert t == 0.1
    assert metrics.sens_spec(y, s, t)[0] >= 0.9
    assert metrics.sens_spec(y, s, np.nextafter(t, 1))[0] < 0.9
    assert metrics.threshold_for_sensitivity([1, 1, 1, 0], [0.3, 0.6, 0.9, 0.5], 0.5) == 0.6  # ceil(1.5)=2


def test_ece_by_hand():
    probs = np.array([[0.2, 0.8], [0.6, 0.4]])
    # confidence 0.8 correct (label 1), confidence 0.6 wrong (label 1): 0.5*0.2 + 0.5*0.6
    assert metrics.expected_calibration_error([1, 1], probs, 15) == pytest.approx(0.4)
    # two predictions in the same bin: |mean acc - mean conf|
    probs = np.array([[0.3, 0.7], [0.28, 0.72]])
    assert metrics.expected_calibration_error([1, 0], probs, 15) == pytest.approx(abs(0.5 - 0.71))
    assert metrics.expected_calibration_error([1, 0], np.array([[0, 1.0], [1.0, 0]])) == 0.0


def test_temperature_recovers_overconfidence():
    rng = np.random.default_rng(2)
    z = rng.normal(0, 2, 20000)
    y = (rng.random(20000) < 1 / (1 + np.exp(-z))).astype(int)
    logits = np.stack([np.zeros_like(z), 3 * z], axis=1)
    t = metrics.fit_temperature(y, logits)
    assert t == pytest.approx(3.0, rel=0.1)
    assert metrics.nll(y, logits, t) < metrics.nll(y, logits, 1.0)
