package org.lesiontriage.triage.imaging;

/**
 * Metadata that can carry an orientation, each null when absent.
 *
 * @param exifTiff EXIF as a TIFF structure, without the "Exif\0\0" header
 * @param xmp      the XMP packet bytes
 */
record OrientationSources(byte[] exifTiff, byte[] xmp) {
}
