package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns a registry's error answer ({@code {"error_code": n, "message": "..."}}) into the matching typed exception. */
final class RegistryErrors {

    /** What the client was doing, which decides what a 404 means. */
    enum Operation { REGISTER, LOOKUP, FETCH_BY_ID }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_CHARS = 300;

    private RegistryErrors() {
    }

    static RegistrySerdeException toException(RegistryTransport.Response response, Operation operation, String what) {
        int status = response.status();
        String detail = "HTTP " + status + errorDetail(response.body());
        String where = " at " + response.url();
        if (status == 401 || status == 403) {
            return new RegistrySerdeException(ReasonCode.REGISTRY_UNAUTHORIZED, "Schema registry refused the credentials while " + what + where
                    + ": " + detail + "; check " + RegistrySerdeConfig.BASIC_AUTH_USER_INFO);
        }
        if (status == 404 && operation == Operation.FETCH_BY_ID) {
            return new RegistrySerdeException(ReasonCode.UNKNOWN_SCHEMA_ID, "Unknown schema while " + what + where + ": " + detail);
        }
        if (status == 404 && operation == Operation.LOOKUP) {
            return new RegistrySerdeException(ReasonCode.SCHEMA_NOT_REGISTERED, "Schema not registered while " + what + where + ": " + detail
                    + "; register it first or set " + RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS + "=true");
        }
        if (status == 409) {
            return new RegistrySerdeException(ReasonCode.INCOMPATIBLE_SCHEMA, "Schema incompatible with the subject's compatibility policy while "
                    + what + where + ": " + detail);
        }
        if (status == 422) {
            return new RegistrySerdeException(ReasonCode.INVALID_SCHEMA, "Schema rejected as invalid while " + what + where + ": " + detail);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new RegistrySerdeException(ReasonCode.REGISTRY_UNAVAILABLE, "Schema registry unavailable while " + what + where + ": " + detail);
        }
        return new RegistrySerdeException(ReasonCode.REGISTRY_ERROR, "Schema registry rejected the request while " + what + where + ": " + detail);
    }

    private static String errorDetail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode error = JSON.readTree(body);
            StringBuilder detail = new StringBuilder();
            if (error.hasNonNull("error_code")) {
                detail.append(" error_code ").append(error.get("error_code").asText());
            }
            if (error.hasNonNull("message")) {
                detail.append(": ").append(truncate(error.get("message").asText()));
            }
            return detail.toString();
        } catch (Exception notJson) {
            return ": " + truncate(body.strip());
        }
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
