package org.lesiontriage.triage.imaging;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /** TwelveMonkeys' note that it converts without an ICC profile: the documented formula, not a sign of damage. */
    private static final String NO_PROFILE_WARNING = "No embedded ICC color profile";
    private static final int TRANSFORM_CMYK = 0;
    private static final int TRANSFORM_YCCK = 2;

    private AdobeJpegs() {
    }

    /** True for a JPEG whose frame has four components and whose Adobe marker declares CMYK or YCCK. */
    static boolean isCmykOrYcck(byte[] jpeg) {
        return JpegHeaderReader.read(jpeg).isAdobeCmykOrYcck();
    }

    /** The same, from the facts of the header ({@link ImageHeader}). */
    static boolean isCmykOrYcck(int components, int adobeTransform) {
        return components == 4 && (adobeTransform == TRANSFORM_CMYK || adobeTransform == TRANSFORM_YCCK);
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
