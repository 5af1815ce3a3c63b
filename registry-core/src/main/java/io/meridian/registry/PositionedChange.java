package io.meridian.registry;

/**
 * A change event at its position in the stream: positions start at 0 and grow by one per event, the same on every
 * member, so a consumer resumes from the position after the last one it handled.
 */
public record PositionedChange(long position, ChangeEvent event) {
}
