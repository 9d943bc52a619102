package org.lesiontriage.triage.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.lesiontriage.contracts.ImageMediaType;
import org.lesiontriage.contracts.ReasonCode;

/**
 * Step a of the contract with the header guards: reads width and height from the header, checks them
 * against the limits, and only then decodes pixels with javax.imageio.
 *
 * <p>Any decoder warning (javax.imageio fills a truncated JPEG with grey and only warns) and any
 * exception, including the odd runtime exceptions decoders throw on hostile input, is a rejection.
 *
 * <p>Readers are chosen by provider, never by the registry's order: the JDK's own reader decodes JPEG and PNG, and
 * TwelveMonkeys' JPEG reader (which registers itself ahead of the JDK's whenever it is on the class path) decodes
 * only the Adobe CMYK and YCCK JPEGs that the JDK's refuses ({@link AdobeJpegs}), so every other image decodes
 * exactly as before.
 */
final class ImageDecoder {

    private static final String JDK_PLUGINS = "com.sun.imageio.plugins.";

    private ImageDecoder() {
    }

    /** Reads the header first ({@link ImageHeader#read}: a PNG's CRCs are checked), then decodes. */
    static BufferedImage decode(byte[] bytes, ImageMediaType format, ImageLimits limits) throws ImageRejectedException {
        return decode(bytes, ImageHeader.read(bytes, format), limits);
    }

    /** Decodes bytes whose header has been read: the reader is chosen from it, not from another look at the bytes. */
    static BufferedImage decode(byte[] bytes, ImageHeader header, ImageLimits limits) throws ImageRejectedException {
        ImageMediaType format = header.format();
        boolean adobeCmyk = header.isAdobeCmykOrYcck();
        ImageReader reader = adobeCmyk ? AdobeJpegs.newReader() : jdkReader(format);
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> {
            if (!(adobeCmyk && AdobeJpegs.isInformational(warning))) {
                warnings.add(warning);
            }
        };
        // In-memory stream: never the file cache that ImageIO.createImageInputStream may pick.
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.addIIOReadWarningListener(listener);
            reader.setInput(input, true, true);
            checkHeader(reader, limits);
            BufferedImage image = readPixels(reader, format);
            if (!warnings.isEmpty()) {
                throw new ImageRejectedException(ReasonCode.IMAGE_UNDECODABLE,
                        "corrupt or truncated " + format.mediaType() + " data: " + warnings.get(0));
            }
            return image;
        } catch (IOException closeFailure) {
            throw undecodable(format, closeFailure);
        } finally {
            reader.dispose();
        }
    }

    /** The JDK's reader (com.sun.imageio.plugins.*), whatever other plugins the registry ranks ahead of it. */
    private static ImageReader jdkReader(ImageMediaType format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (reader.getOriginatingProvider().getClass().getName().startsWith(JDK_PLUGINS)) {
                return reader;
            }
            reader.dispose();
        }
        throw new IllegalStateException("no javax.imageio reader of the JDK for " + format.imageIoName());
    }

    private static void checkHeader(ImageReader reader, ImageLimits limits) throws ImageRejectedException {
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(ReasonCode.IMAGE_UNDECODABLE, "cannot read the image header: " + describe(e), e);
        }
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException(ReasonCode.IMAGE_UNDECODABLE, "the header declares " + width + "x" + height + " pixels");
        }
        if (pixels > limits.maxPixels()) {
            throw new ImageRejectedException(ReasonCode.IMAGE_TOO_MANY_PIXELS,
                    "image is " + width + "x" + height + " = " + pixels + " pixels, more than the limit of " + limits.maxPixels());
        }
        if (Math.min(width, height) < limits.minSide()) {
            throw new ImageRejectedException(ReasonCode.IMAGE_TOO_SMALL,
                    "image is " + width + "x" + height + ", smaller than the minimum side of " + limits.minSide() + " px");
        }
    }

    private static BufferedImage readPixels(ImageReader reader, ImageMediaType format) throws ImageRejectedException {
        String type = format.mediaType();
        try {
            if (!reader.getImageTypes(0).hasNext()) {
                // The JDK's JPEG reader lists no destination type for CMYK and YCCK (those without an Adobe marker
                // get here: whether their samples are inverted is a guess).
                throw unsupportedColor("the decoder offers no RGB or gray representation of this " + type);
            }
            return reader.read(0);
        } catch (IIOException e) {
            rethrowVirtualMachineError(e);
            if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("unsupported image type")) {
                throw unsupportedColor("unsupported " + type + " colour model (e.g. CMYK or YCCK)");
            }
            throw new ImageRejectedException(ReasonCode.IMAGE_UNDECODABLE, "corrupt or truncated " + type + " data: " + describe(e), e);
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(ReasonCode.IMAGE_UNDECODABLE, "corrupt or truncated " + type + " data: " + describe(e), e);
        }
    }

    /**
     * The JDK's PNG reader wraps whatever it catches, an OutOfMemoryError included, in an IIOException. A heap too
     * small for a valid image is not corrupt data: the Error goes on, so the record is retried and, if it keeps
     * failing, set aside as REPEATED_FAILURE rather than called undecodable.
     */
    private static void rethrowVirtualMachineError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof VirtualMachineError error) {
                throw error;
            }
        }
    }

    private static ImageRejectedException unsupportedColor(String message) {
        return new ImageRejectedException(ReasonCode.IMAGE_UNSUPPORTED_COLOR, message);
    }

    private static ImageRejectedException undecodable(ImageMediaType format, Exception e) {
        return new ImageRejectedException(ReasonCode.IMAGE_UNDECODABLE, "cannot decode " + format.mediaType() + ": " + describe(e), e);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
