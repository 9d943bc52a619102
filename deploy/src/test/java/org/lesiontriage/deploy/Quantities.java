package org.lesiontriage.deploy;

import java.util.Map;

/** Kubernetes memory and storage quantities (512Mi, 2Gi, 1G) in bytes. */
final class Quantities {

    private static final Map<String, Long> UNITS = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "Ti", 1L << 40,
            "k", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L, "T", 1_000_000_000_000L);

    private Quantities() {
    }

    static long bytes(String quantity) {
        for (var unit : UNITS.entrySet()) {
            if (quantity.endsWith(unit.getKey()) && quantity.length() > unit.getKey().length()
                    && Character.isDigit(quantity.charAt(quantity.length() - unit.getKey().length() - 1))) {
                return Long.parseLong(quantity.substring(0, quantity.length() - unit.getKey().length())) * unit.getValue();
            }
        }
        return Long.parseLong(quantity);
    }
}
