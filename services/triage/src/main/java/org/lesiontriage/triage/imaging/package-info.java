/**
 * Preprocessing contract v1 on the serving side: untrusted JPEG/PNG bytes to the model's float32 CHW
 * tensor, bit-compatible (within 1/255) with {@code lesion_training.contract} in the training module.
 *
 * <p>Entry point: {@link org.lesiontriage.triage.imaging.ImagePreprocessor}. Rejections carry a stable
 * reason code, {@link org.lesiontriage.triage.imaging.ImageRejectedException.Reason}. Only javax.imageio
 * and java.awt.image are used; EXIF/XMP orientation is parsed here because javax.imageio ignores it.
 */
package org.lesiontriage.triage.imaging;
