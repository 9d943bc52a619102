package org.lesiontriage.triage.imaging;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;

/**
 * Adobe CMYK and YCCK JPEGs (four components with an Adobe APP14 marker, transform 0 or 2, as Photoshop and some
 * clinic software write them), which the JDK's reader refuses. TwelveMonkeys' reader decodes them to sRGB: through
 * the embedded ICC profile when there is one, else with the uncalibrated formula that Pillow and ImageMagick use,
 * {@code R = 255 - C} scaled by {@code (255 - K) / 255} (and so for G, B). Four-component JPEGs without the Adobe
 * marker stay refused: nothing says whether their samples are inverted.
 */
final class AdobeJpegs {

    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);
    /** TwelveMonkeys' note that it converts without an ICC profile: the documented formula, not a sign of damage. */
    private static final String NO_PROFILE_WARNING = "No embedded ICC color profile";
    private static final int TRANSFORM_CMYK = 0;
    private static final int TRANSFORM_YCCK = 2;

    private AdobeJpegs() {
    }

    /** True for a JPEG whose frame has four components and whose Adobe marker declares CMYK or YCCK. */
    static boolean isCmykOrYcck(byte[] jpeg) {
        int[] transform = {-1};
        int[] components = {0};
        JpegMetadata.walkHeader(jpeg, (marker, payload, end) -> {
            if (marker == 0xEE && end - payload >= 12 && JpegMetadata.startsWith(jpeg, payload, end, ADOBE)) {
                transform[0] = jpeg[payload + 11] & 0xFF;
            } else if (isStartOfFrame(marker) && end - payload >= 6) {
                components[0] = jpeg[payload + 5] & 0xFF;
            }
        });
        return components[0] == 4 && (transform[0] == TRANSFORM_CMYK || transform[0] == TRANSFORM_YCCK);
    }

    /** SOF0-SOF15 less DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    static boolean isInformational(String warning) {
        return warning != null && warning.startsWith(NO_PROFILE_WARNING);
    }

    /** A TwelveMonkeys JPEG reader, made outside the global registry so that it never decodes other JPEGs. */
    static ImageReader newReader() {
        try {
            return Provider.SPI.createReaderInstance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Provider {
        static final ImageReaderSpi SPI = create();

        /** TwelveMonkeys' reader wraps the JDK's: it finds it in the registry it is registered with, here a private one. */
        private static ImageReaderSpi create() {
            ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
            registry.registerServiceProvider(jdkJpegProvider(), ImageReaderSpi.class);
            JPEGImageReaderSpi twelveMonkeys = new JPEGImageReaderSpi();
            registry.registerServiceProvider(twelveMonkeys, ImageReaderSpi.class);
            if (!registry.contains(twelveMonkeys)) {
                throw new IllegalStateException("TwelveMonkeys' JPEG reader did not find the JDK's JPEG reader");
            }
            return twelveMonkeys;
        }

        private static ImageReaderSpi jdkJpegProvider() {
            Iterator<ImageReaderSpi> providers = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, false);
            while (providers.hasNext()) {
                ImageReaderSpi provider = providers.next();
                if (provider.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi")) {
                    return provider;
                }
            }
            throw new IllegalStateException("the JDK's JPEG reader is not registered");
        }
    }
}
