package io.sandbox.launcher.environment;

/** The platform's two services, as the launcher and the test suites know them. */
public enum Service {
    ONBOARDING("startup-onboarding", "onboarding", Secrets.ONBOARDING_SECRET, 8081, "/portal"),
    DASHBOARD("regulator-dashboard", "dashboard", Secrets.DASHBOARD_SECRET, 8082, "/dashboard");

    private final String module;
    private final String database;
    private final String clientSecretKey;
    private final int defaultPort;
    private final String homePath;

    Service(String module, String database, String clientSecretKey, int defaultPort, String homePath) {
        this.module = module;
        this.database = database;
        this.clientSecretKey = clientSecretKey;
        this.defaultPort = defaultPort;
        this.homePath = homePath;
    }

    /** The Maven module, which is also the service's name and its Keycloak client id. */
    public String module() {
        return module;
    }

    public String database() {
        return database;
    }

    String clientSecretKey() {
        return clientSecretKey;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The signed-in page a person opens first. */
    public String homePath() {
        return homePath;
    }
}
