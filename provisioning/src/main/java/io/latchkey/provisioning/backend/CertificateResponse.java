package io.latchkey.provisioning.backend;

import java.util.List;

/**
 * What {@code POST /t/{tenant}/devices/{deviceId}/certificate} returns.
 *
 * @param certificate    the device certificate, PEM
 * @param caChain        the tenant device CA chain that verifies it, PEM each
 * @param brokerCaChain  CA certificates that verify the broker's TLS certificate; absent when the broker
 *                       has a publicly trusted certificate
 * @param mqttUrl        {@code ssl://host:port}
 * @param commandKeys    the tenant's command-verification keys to pin
 * @param vehicleProfile the name of the car's built-in vehicle profile (which CAN signals to expect), or null
 * @param keySetKeys     the tenant's key-set signing keys to pin: they verify the signed key sets that refresh every
 *                       other key (docs/device-identity.md); empty from a backend that has none
 * @param updateKeys     the tenant's update keys to pin: they verify over-the-air bundles (docs/ota.md §2); empty when the
 *                       tenant has none yet (updates stay off until a signed key set brings one)
 * @param recoveryUrl    the backend's base URL for the renewal of a certificate that expired while the car was offline
 *                       ({@code POST /t/{tenant}/devices/{deviceId}/renewal}, docs/device-identity.md); null from a backend
 *                       that does not say
 */
public record CertificateResponse(String certificate, List<String> caChain, List<String> brokerCaChain, String mqttUrl,
                                  List<CommandKey> commandKeys, String vehicleProfile, List<CommandKey> keySetKeys,
                                  List<CommandKey> updateKeys, String recoveryUrl) {
    public CertificateResponse(String certificate, List<String> caChain, List<String> brokerCaChain, String mqttUrl,
                               List<CommandKey> commandKeys, String vehicleProfile) {
        this(certificate, caChain, brokerCaChain, mqttUrl, commandKeys, vehicleProfile, List.of(), List.of(), null);
    }

    public CertificateResponse {
        keySetKeys = keySetKeys == null ? List.of() : List.copyOf(keySetKeys);
        updateKeys = updateKeys == null ? List.of() : List.copyOf(updateKeys);
        caChain = caChain == null ? List.of() : List.copyOf(caChain);
        brokerCaChain = brokerCaChain == null ? List.of() : List.copyOf(brokerCaChain);
        commandKeys = commandKeys == null ? List.of() : List.copyOf(commandKeys);
    }
}
