package io.meridian.http;

/**
 * The one JSON error shape of the API: {@code {"error": "...", "status": 422}}.
 *
 * @param error  what was wrong, in a sentence a user can act on
 * @param status the HTTP status, repeated for clients that only keep the body
 */
record ApiError(String error, int status) {
}
