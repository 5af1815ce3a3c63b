package io.meridian.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.meridian.http.wire.InvalidFieldException;
import io.meridian.http.wire.MissingFieldException;
import io.meridian.http.wire.RegisterBody;
import io.meridian.http.wire.Registrations;
import io.meridian.registry.InvalidRegistrationException;
import io.meridian.registry.RegistrationRules;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.grid.RegistrySettings;

/**
 * Registration bodies, as {@code PUT /v1/agent/service/register} reads them: any text either becomes a valid instance
 * or is refused with one of the exceptions the API answers with a 4xx. Anything else (a 500) is a finding.
 */
class RegistrationBodyFuzzTest {

    private static final ObjectMapper MAPPER = JsonBody.mapper();

    // load-tests/fuzz.sh bounds a fuzzing run; mvn verify replays the corpus only.
    @FuzzTest(maxDuration = "24h")
    void aBodyIsAValidInstanceOrA4xx(FuzzedDataProvider data) {
        String body = data.consumeRemainingAsString();
        try {
            ServiceInstance instance = Registrations.toInstance(JsonBody.read(MAPPER, body, RegisterBody.class),
                    "default");
            RegistrationRules.requireValid(instance, RegistrySettings.DEFAULT_MAX_CHECKS_PER_INSTANCE);
        } catch (BadRequestResponse | MissingFieldException | InvalidFieldException
                 | InvalidRegistrationException expected) {
            // refused with a 400 or 422
        }
    }
}
