package io.meridian.http.filter;

/** A filter expression that cannot be read; the message names the position (from 1) where reading failed. */
public final class FilterSyntaxException extends IllegalArgumentException {

    private final int position;

    FilterSyntaxException(int position, String problem) {
        super("filter: " + problem + " at position " + position);
        this.position = position;
    }

    /** Where reading failed, counting characters from 1. */
    public int position() {
        return position;
    }
}
