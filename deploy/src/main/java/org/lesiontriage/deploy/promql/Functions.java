package org.lesiontriage.deploy.promql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lesiontriage.deploy.promql.Node.Type;

/** PromQL's functions (Prometheus 3.x, without the experimental ones) and the arguments each takes. */
final class Functions {

    private static final Map<String, Signature> SIGNATURES = new HashMap<>();

    static {
        for (String f : List.of("abs", "ceil", "exp", "floor", "ln", "log2", "log10", "sgn", "sqrt", "sort",
                "sort_desc", "timestamp", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin",
                "sinh", "tan", "tanh", "deg", "rad", "absent", "histogram_avg", "histogram_count", "histogram_sum",
                "histogram_stddev", "histogram_stdvar")) {
            define(f, Type.VECTOR, 0, Type.VECTOR);
        }
        for (String f : List.of("rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
                "absent_over_time", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
                "count_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time",
                "mad_over_time")) {
            define(f, Type.VECTOR, 0, Type.MATRIX);
        }
        for (String f : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            define(f, Type.VECTOR, 1, Type.VECTOR);
        }
        define("clamp", Type.VECTOR, 0, Type.VECTOR, Type.SCALAR, Type.SCALAR);
        define("clamp_max", Type.VECTOR, 0, Type.VECTOR, Type.SCALAR);
        define("clamp_min", Type.VECTOR, 0, Type.VECTOR, Type.SCALAR);
        define("round", Type.VECTOR, 1, Type.VECTOR, Type.SCALAR);
        define("histogram_quantile", Type.VECTOR, 0, Type.SCALAR, Type.VECTOR);
        define("histogram_fraction", Type.VECTOR, 0, Type.SCALAR, Type.SCALAR, Type.VECTOR);
        define("quantile_over_time", Type.VECTOR, 0, Type.SCALAR, Type.MATRIX);
        define("predict_linear", Type.VECTOR, 0, Type.MATRIX, Type.SCALAR);
        define("holt_winters", Type.VECTOR, 0, Type.MATRIX, Type.SCALAR, Type.SCALAR);
        define("double_exponential_smoothing", Type.VECTOR, 0, Type.MATRIX, Type.SCALAR, Type.SCALAR);
        define("label_replace", Type.VECTOR, 0, Type.VECTOR, Type.STRING, Type.STRING, Type.STRING, Type.STRING);
        SIGNATURES.put("label_join", new Signature(Type.VECTOR, List.of(Type.VECTOR, Type.STRING, Type.STRING), 0,
                Type.STRING));
        SIGNATURES.put("sort_by_label", new Signature(Type.VECTOR, List.of(Type.VECTOR), 0, Type.STRING));
        SIGNATURES.put("sort_by_label_desc", new Signature(Type.VECTOR, List.of(Type.VECTOR), 0, Type.STRING));
        define("scalar", Type.SCALAR, 0, Type.VECTOR);
        define("vector", Type.VECTOR, 0, Type.SCALAR);
        define("time", Type.SCALAR, 0);
        define("pi", Type.SCALAR, 0);
    }

    private Functions() {
    }

    private static void define(String name, Type returns, int optional, Type... args) {
        SIGNATURES.put(name, new Signature(returns, List.of(args), optional, null));
    }

    static Optional<Signature> signature(String name) {
        return Optional.ofNullable(SIGNATURES.get(name));
    }

    /**
     * @param optional how many of the last arguments may be left out
     * @param variadic the type of any number of further arguments, or null
     */
    record Signature(Type returns, List<Type> args, int optional, Type variadic) {

        void check(String function, List<Node> given) {
            int least = args.size() - optional;
            if (given.size() < least || variadic == null && given.size() > args.size()) {
                throw new PromQlException(function + "() takes " + (optional == 0 ? "" : least + " to ")
                        + args.size() + (variadic == null ? "" : " or more") + " arguments, got " + given.size());
            }
            for (int i = 0; i < given.size(); i++) {
                Type wanted = i < args.size() ? args.get(i) : variadic;
                if (given.get(i).type() != wanted) {
                    throw new PromQlException(function + "() takes a " + wanted.text + " as argument " + (i + 1)
                            + ", got a " + given.get(i).type().text);
                }
            }
        }
    }
}
