package org.lesiontriage.stack.tls;

/** A SCRAM-SHA-512 user of the secured broker; the password is random for each run. */
public record ScramUser(String name, String password) {

    public static final String MECHANISM = "SCRAM-SHA-512";

    public static ScramUser random(String name) {
        return new ScramUser(name, RandomSecrets.password());
    }

    /** The same user with another password, for proving that a wrong one is refused. */
    public ScramUser withPassword(String otherPassword) {
        return new ScramUser(name, otherPassword);
    }

    /** The value of a client's {@code sasl.jaas.config}. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name
                + "\" password=\"" + password + "\";";
    }

    @Override
    public String toString() {
        return "ScramUser[" + name + "]"; // never the password
    }
}
