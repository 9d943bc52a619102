package org.lesiontriage.dashboard.images;

/** A scaled image, encoded. */
public record Thumbnail(byte[] bytes, String mediaType) {
}
