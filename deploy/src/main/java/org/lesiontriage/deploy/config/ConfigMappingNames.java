package org.lesiontriage.deploy.config;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The property names of a SmallRye {@code @ConfigMapping} interface (methods in kebab case, nested groups
 * dotted, e.g. triage.model.intra-op-threads) and the environment variables that set them
 * (TRIAGE_MODEL_INTRA_OP_THREADS: every character that is not a letter or digit becomes '_', upper case).
 */
public final class ConfigMappingNames {

    private ConfigMappingNames() {
    }

    public static Set<String> properties(Class<?> mapping, String prefix) {
        Set<String> names = new TreeSet<>();
        collect(mapping, prefix, names);
        return names;
    }

    public static Set<String> variables(Class<?> mapping, String prefix) {
        Set<String> variables = new TreeSet<>();
        properties(mapping, prefix).forEach(p -> variables.add(variable(p)));
        return variables;
    }

    public static String variable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static void collect(Class<?> type, String prefix, Set<String> names) {
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            Optional<Class<?>> group = group(method.getGenericReturnType());
            if (group.isPresent()) {
                collect(group.get(), name, names);
            } else {
                names.add(name);
            }
        }
    }

    /** A nested group: an interface of the application (not java.*), bare or in an Optional. */
    private static Optional<Class<?>> group(Type type) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Optional.class
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> inner) {
            return group(inner);
        }
        if (type instanceof Class<?> c && c.isInterface() && !c.getName().startsWith("java.")) {
            return Optional.of(c);
        }
        return Optional.empty();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
