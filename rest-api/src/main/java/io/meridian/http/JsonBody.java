package io.meridian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.BadRequestResponse;
import io.meridian.http.wire.InvalidFieldException;

/** Reads a request body into its wire type, with the errors a client can act on. */
final class JsonBody {

    private JsonBody() {
    }

    /**
     * How request bodies are read: field names in any case, as Consul's Go decoder takes them; unknown ones ignored.
     */
    static ObjectMapper mapper() {
        return JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /**
     * The body as the given type.
     *
     * @throws BadRequestResponse    if it is empty, not a JSON object, or malformed
     * @throws InvalidFieldException if a field has a value of the wrong form
     */
    static <T> T read(ObjectMapper mapper, String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new BadRequestResponse("a JSON body is required");
        }
        try {
            T body = mapper.readValue(json, type);
            if (body == null) {
                throw new BadRequestResponse("the body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof InvalidFieldException invalid) {
                throw invalid;
            }
            throw new BadRequestResponse("malformed JSON: " + e.getOriginalMessage());
        }
    }
}
