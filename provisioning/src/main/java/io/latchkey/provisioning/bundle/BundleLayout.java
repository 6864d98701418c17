package io.latchkey.provisioning.bundle;

/** The file names of a device bundle ({@code DIR/latchkey/...}). */
public final class BundleLayout {
    public static final String AGENT_CONFIG = AgentConfigFile.NAME;
    public static final String DEVICE_CERTIFICATE = "device.crt";
    public static final String DEVICE_KEY = "device.key";
    public static final String CA_CHAIN = "ca-chain.pem";
    public static final String BROKER_CA = "broker-ca.pem";
    public static final String COMMAND_KEYS = "command-keys.json";
    public static final String VEHICLE_PROFILE = "vehicle-profile.json";
    public static final String MANIFEST = "bundle.json";

    private BundleLayout() {
    }
}
