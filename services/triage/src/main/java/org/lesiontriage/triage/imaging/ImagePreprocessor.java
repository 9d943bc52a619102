package org.lesiontriage.triage.imaging;

import java.awt.image.BufferedImage;
import java.nio.BufferOverflowException;
import java.nio.FloatBuffer;

import org.lesiontriage.contracts.ImageMediaType;
import org.lesiontriage.contracts.ReasonCode;

/**
 * Preprocessing contract v1: JPEG or PNG bytes to a float32 tensor [3, H, W] (CHW, R, G, B, values
 * 0..1), matching the training module's {@code lesion_training.contract} within 1/255 per element.
 *
 * <p>Guards run in this order, each with its own reason code, before any pixel is decoded:
 * <ol>
 *   <li>null or empty bytes: {@code IMAGE_EMPTY}; more than {@code maxBytes}: {@code IMAGE_TOO_LARGE};</li>
 *   <li>a declared media type other than image/jpeg or image/png (case and parameters ignored):
 *       {@code UNSUPPORTED_MEDIA_TYPE}, whatever the bytes are;</li>
 *   <li>a supported declared type whose magic number the bytes do not carry: {@code MEDIA_TYPE_MISMATCH},
 *       whether the bytes are the other supported format, another format (GIF, SVG, ...) or noise;</li>
 *   <li>header dimensions: width*height above {@code maxPixels}: {@code IMAGE_TOO_MANY_PIXELS};
 *       min(width, height) below {@code minSide}: {@code IMAGE_TOO_SMALL};</li>
 * </ol>
 * then integrity and decoding: a PNG chunk whose CRC does not match: {@code IMAGE_CORRUPT} (every chunk is
 * checked, before the header guards); truncated or undecodable data (including decoder warnings):
 * {@code IMAGE_UNDECODABLE}; colour models outside the contract: {@code IMAGE_UNSUPPORTED_COLOR} (Adobe
 * CMYK/YCCK JPEGs are converted to sRGB, see {@link AdobeJpegs}).
 *
 * <p>Stateless and thread-safe. Peak memory per call is the decoded raster (at most
 * {@code maxPixels} * bands * bytes per sample) plus {@code 24 * H * inputWidth} bytes of accumulators.
 */
public final class ImagePreprocessor {

    /** How the header is read: {@link ImageHeader#read}, or in tests a reader that counts or stands in for it. */
    interface HeaderReader {
        ImageHeader read(byte[] bytes, ImageMediaType format) throws ImageRejectedException;
    }

    private final ImageLimits limits;
    private final int height;
    private final int width;
    private final HeaderReader headerReader;

    public ImagePreprocessor(ImageLimits limits, int height, int width) {
        this(limits, height, width, ImageHeader::read);
    }

    ImagePreprocessor(ImageLimits limits, int height, int width, HeaderReader headerReader) {
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("output size must be positive: " + height + "x" + width);
        }
        this.limits = limits;
        this.height = height;
        this.width = width;
        this.headerReader = headerReader;
    }

    /** 3 * H * W. */
    public int tensorLength() {
        return 3 * height * width;
    }

    public float[] preprocess(byte[] bytes, String mediaType) throws ImageRejectedException {
        return compute(bytes, mediaType);
    }

    /**
     * Writes the tensor at {@code target}'s position and advances it by {@link #tensorLength()}. Nothing
     * is written when the image is rejected.
     *
     * @throws BufferOverflowException if fewer than {@link #tensorLength()} floats remain
     */
    public void preprocessInto(byte[] bytes, String mediaType, FloatBuffer target) throws ImageRejectedException {
        if (target.remaining() < tensorLength()) {
            throw new BufferOverflowException();
        }
        target.put(compute(bytes, mediaType));
    }

    private float[] compute(byte[] bytes, String mediaType) throws ImageRejectedException {
        ImageMediaType format = checkEnvelope(bytes, mediaType);
        // The one pass over the header. A PNG's chunks are checked (CRC, truncation) in it, before any pixel is
        // decoded; JPEG has no checksum to check.
        ImageHeader header = headerReader.read(bytes, format);
        BufferedImage decoded = ImageDecoder.decode(bytes, header, limits);
        RgbRowSource rgb = RgbConverter.rowSource(decoded);

        // Area averaging commutes with flips and transposes, so resize the stored image to the
        // pre-rotation shape and orient the small result instead of the full-size image.
        int orientation = header.orientation();
        boolean swap = ExifOrientation.swapsAxes(orientation);
        int storedHeight = swap ? width : height;
        int storedWidth = swap ? height : width;
        double[] chw = AreaResizer.resize(rgb, storedHeight, storedWidth);
        double[] upright = ExifOrientation.apply(chw, storedHeight, storedWidth, orientation);

        float[] tensor = new float[upright.length];
        for (int i = 0; i < tensor.length; i++) {
            tensor[i] = (float) (upright[i] / 255.0);
        }
        return tensor;
    }

    private ImageMediaType checkEnvelope(byte[] bytes, String mediaType) throws ImageRejectedException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(ReasonCode.IMAGE_EMPTY, "image bytes are empty");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageRejectedException(ReasonCode.IMAGE_TOO_LARGE,
                    "image is " + bytes.length + " bytes, more than the limit of " + limits.maxBytes());
        }
        ImageMediaType declared = ImageMediaType.fromMediaType(mediaType).orElseThrow(() -> new ImageRejectedException(
                ReasonCode.UNSUPPORTED_MEDIA_TYPE, "media type " + printable(mediaType) + " is not supported (image/jpeg or image/png)"));
        if (!declared.matches(bytes)) {
            String actual = ImageMediaType.sniff(bytes).map(ImageMediaType::mediaType).orElse("neither JPEG nor PNG");
            throw new ImageRejectedException(ReasonCode.MEDIA_TYPE_MISMATCH,
                    "declared " + declared.mediaType() + " but the bytes are " + actual);
        }
        return declared;
    }

    /** Media types come from producers; keep them short and printable in messages. */
    private static String printable(String mediaType) {
        if (mediaType == null) {
            return "(none)";
        }
        String trimmed = mediaType.length() > 64 ? mediaType.substring(0, 64) + "..." : mediaType;
        return "'" + trimmed.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }
}
