package io.latchkey.agent;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandSigner;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.SignedCommand;
import io.latchkey.protocol.telemetry.ReceiptSigner;
import io.latchkey.protocol.telemetry.ReceiptVerifier;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * The cloud's side of commands and telemetry receipts in tests: a tenant command key, and signers that use
 * it.
 */
public final class TestCloud {
    public static final String KEY_ID = "cmd-1";

    private final KeyPair keys = Keys.newCommandKeyPair();
    private final CommandSigner signer = new CommandSigner(keys.getPrivate(), KEY_ID);
    private final ReceiptSigner receiptSigner = new ReceiptSigner(keys.getPrivate(), KEY_ID);
    private final Clock clock;
    private final String tenant;

    public TestCloud(String tenant, Clock clock) {
        this.tenant = tenant;
        this.clock = clock;
    }

    public String publicKeyBase64() {
        return Keys.encodePublic(keys.getPublic());
    }

    public KeyPair keys() {
        return keys;
    }

    public Command command(String deviceId, CommandType type) {
        return new Command(UUID.randomUUID().toString(), tenant, deviceId, type, clock.instant(),
                clock.instant().plus(Duration.ofSeconds(10)), "user-1");
    }

    public byte[] signed(Command command) {
        return Json.write(signer.sign(command));
    }

    public byte[] signed(String deviceId, CommandType type) {
        return signed(command(deviceId, type));
    }

    /** Signed by a key the device does not know, under the pinned key's id. */
    public static byte[] forged(Command command) {
        SignedCommand s = new CommandSigner(Keys.newCommandKeyPair().getPrivate(), KEY_ID).sign(command);
        return Json.write(s);
    }

    public String tenant() {
        return tenant;
    }

    /** A receipt as the backend sends it: signed by the tenant's command key. */
    public byte[] signed(TelemetryReceipt receipt) {
        return Json.write(receiptSigner.sign(receipt));
    }

    /** The signed receipt of a whole batch, nothing refused. */
    public byte[] receiptOf(TelemetryBatch batch) {
        return signed(TelemetryReceipt.of(tenant, batch));
    }

    /** A receipt signed by a key the device does not know, under the pinned key's id. */
    public static byte[] forged(TelemetryReceipt receipt) {
        return Json.write(new ReceiptSigner(Keys.newCommandKeyPair().getPrivate(), KEY_ID).sign(receipt));
    }

    /** What a device of this tenant checks receipts with. */
    public ReceiptVerifier receiptVerifier(String deviceId) {
        return new ReceiptVerifier(java.util.Map.of(KEY_ID, keys.getPublic()), tenant, deviceId);
    }
}
