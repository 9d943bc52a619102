package org.lesiontriage.deploy;

/**
 * Names agreed between the service, the dashboard and the deployment (the Secrets of their users, where they are
 * mounted, the dashboard's consumer groups) that no configuration file spells out in full.
 */
public final class AgreedNames {

    public static final String API_USERS_SECRET = "triage-api-users";
    public static final String API_USERS_DIR = "/etc/lesion-triage/api-users";
    public static final String DASHBOARD_USERS_SECRET = "triage-dashboard-users";
    public static final String DASHBOARD_USERS_DIR = "/etc/lesion-triage/dashboard-users";
    public static final String USERS_KEY = "users.properties";
    public static final String ROLES_KEY = "roles.properties";
    /** Each dashboard instance reads everything in a group of its own: this prefix + its instance name. */
    public static final String DASHBOARD_GROUP_PREFIX = "lesion-triage-dashboard-";
    public static final String SERVICE_IMAGE = "lesion-triage/triage-service";
    public static final String DASHBOARD_IMAGE = "lesion-triage-dashboard";
    /** The Strimzi cluster the manifests name (labels of topics and users, bootstrap service, CA Secret). */
    public static final String KAFKA_CLUSTER = "lesion-kafka";
    /** What Strimzi's User Operator puts in a SCRAM user's Secret, and its cluster CA Secret. */
    public static final String JAAS_KEY = "sasl.jaas.config";
    public static final String PASSWORD_KEY = "password";
    public static final String CLUSTER_CA_SECRET = KAFKA_CLUSTER + "-cluster-ca-cert";
    public static final String CA_CERT_KEY = "ca.crt";
    /** bin/models, the model admin CLI, in the service's image (docs/model-lifecycle.md). */
    public static final String MODELS_COMMAND = "org.lesiontriage.triage.lifecycle.cli.ModelsCommand";
    /** The KafkaUser bin/models logs in as on the secured cluster, and the one transactional id it produces with. */
    public static final String MODELS_ADMIN_USER = "triage-models-admin";
    public static final String MODELS_ADMIN_TRANSACTIONAL_ID = "triage-models-admin";

    private AgreedNames() {
    }
}
