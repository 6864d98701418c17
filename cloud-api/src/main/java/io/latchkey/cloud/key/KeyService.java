package io.latchkey.cloud.key;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.booking.BookingAccessEnded;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.device.DeviceIdentities;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.tenant.CommandKeys;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Ids;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.key.HolderKeys;
import io.latchkey.protocol.key.KeyCredential;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.RevocationList;
import io.latchkey.protocol.key.TenantSigned;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, lists and revokes offline key credentials (docs/offline-keys.md §2, §5, §6). A credential is signed with the
 * tenant's command key ({@link CommandKeys#sign}), so the car verifies it against the keys it pinned at provisioning.
 *
 * <p>Storage, per tenant: {@code offline-keys/{bookingId}} ({@link BookingKeys}, every change a conditional write) and
 * {@code offline-key-ids/{keyId}} (which booking a key belongs to; created once, so a key id is never issued twice).
 * Revocations go to {@link Revocations}. The keys of a booking are revoked when it closes or a co-driver is no longer
 * named ({@link BookingAccessEnded}).
 */
@Singleton
public class KeyService implements ApplicationEventListener<BookingAccessEnded> {
    static final String KEYS = "offline-keys";
    static final String KEY_IDS = "offline-key-ids";
    /** The rights of a borrower's key that asks for none. */
    static final Set<KeyRight> DEFAULT_RIGHTS = EnumSet.of(KeyRight.UNLOCK, KeyRight.LOCK);
    private static final Logger LOG = LoggerFactory.getLogger(KeyService.class);

    /** Which booking a key id belongs to. */
    record KeyBooking(String bookingId) {
    }

    /** What {@link #issue} made: the envelope for the holder, and the record kept. */
    public record Issued(TenantSigned envelope, IssuedKey key) {
    }

    private final BookingService bookings;
    private final CarRegistry cars;
    private final DeviceIdentities devices;
    private final CommandKeys keys;
    private final Revocations revocations;
    private final Stores stores;
    private final KeysConfig config;
    private final SecureRandom random;
    private final Clock clock;
    private final Auditor auditor;

    public KeyService(BookingService bookings, CarRegistry cars, DeviceIdentities devices, CommandKeys keys,
                      Revocations revocations, Stores stores, KeysConfig config, SecureRandom random, Clock clock,
                      Auditor auditor) {
        this.bookings = bookings;
        this.cars = cars;
        this.devices = devices;
        this.keys = keys;
        this.revocations = revocations;
        this.stores = stores;
        this.config = config;
        this.random = random;
        this.clock = clock;
        this.auditor = auditor;
    }

    /**
     * Issues a credential of the booking's car for the caller's holder key: the borrower's (no parent), or a co-driver's
     * derived from a key of the borrower ({@code parentKeyId}, or else the borrower's newest live key), never wider than
     * it. The window is the booking's (the parent's for a co-driver), cut to {@code latchkey.keys.lifetime} from now.
     * Audited {@code key.issued}.
     *
     * @throws NotFoundException       an unknown booking (another tenant's included)
     * @throws ForbiddenException      the caller is neither the borrower nor a co-driver named on the booking
     * @throws InvalidRequestException a public key that is not a P-256 point, unknown or no rights, rights wider than the
     *                                 parent's, a parent that is not the borrower's key of this booking, a borrower
     *                                 naming a parent
     * @throws ConflictException       the booking is cancelled, ended, a no-show, or starts more than the lifetime ahead;
     *                                 the car's device has no certificate; the parent is revoked or expired; a co-driver
     *                                 asks while the borrower has no live key; the holder key was revoked for this booking
     */
    public Issued issue(String tenant, String bookingId, Caller caller, @Nullable String publicKey,
                        @Nullable List<String> rightNames, @Nullable String parentKeyId) {
        Booking booking = (Ids.isValid(bookingId) ? bookings.find(tenant, bookingId) : Optional.<Booking>empty())
                .orElseThrow(() -> new NotFoundException("unknown booking " + bookingId));
        boolean borrower = caller.is(booking.userId());
        if (!borrower && !booking.hasCoDriver(caller.userId())) {
            throw new ForbiddenException("only the borrower or a co-driver named on the booking gets a key for it");
        }
        if (publicKey == null) {
            throw new InvalidRequestException("publicKey is required: base64url of the 65-byte uncompressed P-256 point");
        }
        String fingerprint;
        try {
            fingerprint = fingerprint(Ed25519.fromBase64url(HolderKeys.encode(HolderKeys.decode(publicKey))));
        } catch (MalformedMessageException e) {
            throw new InvalidRequestException("publicKey: " + e.getMessage());
        }
        Set<KeyRight> asked = rights(rightNames);
        if (borrower && parentKeyId != null) {
            throw new InvalidRequestException("the borrower's key has no parent: leave parentKeyId out");
        }
        Instant now = clock.instant();
        if (!booking.state().open()) {
            throw new ConflictException("booking " + bookingId + " is " + booking.state() + ": keys are issued for a confirmed or active booking");
        }
        if (!now.isBefore(booking.end())) {
            throw new ConflictException("booking " + bookingId + " ended at " + booking.end());
        }
        if (keysOf(tenant).get(bookingId).orElse(BookingKeys.EMPTY).keys().stream()
                .anyMatch(k -> k.revoked() && k.holderKeyFingerprint().equals(fingerprint))) {
            // a lost phone's key must not come back through a renewal from the phone (or whoever holds its session)
            throw new ConflictException("this phone key was revoked for booking " + bookingId
                    + ": a revoked key gets no new credential; make a new key on the phone");
        }
        IssuedKey parent = borrower ? null : parent(tenant, booking, parentKeyId, now);
        Set<KeyRight> rights = asked != null ? asked : parent != null ? parent.rights() : DEFAULT_RIGHTS;
        if (parent != null && !parent.rights().containsAll(rights)) {
            throw new InvalidRequestException("rights " + rights + " are wider than the parent key's " + parent.rights());
        }
        Instant notBefore = parent != null ? later(booking.start(), parent.notBefore()) : booking.start();
        Instant notAfter = earlier(booking.end(), now.plus(config.lifetime()));
        if (parent != null) {
            notAfter = earlier(notAfter, parent.notAfter());
        }
        if (!notAfter.isAfter(later(now, notBefore))) {
            throw new ConflictException("booking " + bookingId + " starts at " + booking.start()
                    + ": a key is valid for at most " + config.lifetime() + " after it is issued; ask again from "
                    + booking.start().minus(config.lifetime()));
        }
        Car car = cars.find(tenant, booking.carId())
                .orElseThrow(() -> new ConflictException("car " + booking.carId() + " of the booking is gone"));
        byte[] deviceKey = car.deviceId() == null ? null : devices.activePublicKeyInfo(tenant, car.deviceId()).orElse(null);
        if (deviceKey == null) {
            throw new ConflictException("car " + car.id() + " has no provisioned device certificate yet: no offline key for it");
        }
        String keyId = newKeyId(tenant, bookingId);
        KeyCredential credential = new KeyCredential(1, KeyCredential.TYPE, keyId, tenant, car.deviceId(), car.id(), bookingId,
                new KeyCredential.Holder(caller.userId(), publicKey), rights, notBefore, notAfter, now,
                parent == null ? null : new KeyCredential.Parent(parent.keyId(), parent.rights(), parent.notBefore(), parent.notAfter()),
                Ed25519.base64url(deviceKey)).checked();
        TenantSigned envelope = keys.sign(tenant, TenantSigned.Kind.CREDENTIAL, credential);
        IssuedKey issued = new IssuedKey(keyId, bookingId, car.id(), car.deviceId(), caller.userId(), fingerprint, rights,
                notBefore, notAfter, now, parent == null ? null : parent.keyId(), null, null);
        keysOf(tenant).upsert(bookingId, BookingKeys.EMPTY, doc -> doc.find(keyId).isPresent() ? doc : doc.with(issued));
        auditor.record(tenant, caller.userId(), "key.issued", subject(issued), AuditEntry.OK);
        return new Issued(envelope, issued);
    }

    /** The keys of a booking the caller may see: operators and tenant-admins all, anybody else the keys they hold. */
    public List<IssuedKey.View> list(String tenant, String bookingId, Caller caller) {
        Booking booking = (Ids.isValid(bookingId) ? bookings.find(tenant, bookingId) : Optional.<Booking>empty())
                .orElseThrow(() -> new NotFoundException("unknown booking " + bookingId));
        boolean operator = caller.actsForTenant();
        if (!operator && !caller.is(booking.userId()) && !booking.hasCoDriver(caller.userId())) {
            throw new ForbiddenException("only the borrower, a co-driver or an operator sees the keys of a booking");
        }
        return keysOf(tenant).get(bookingId).orElse(BookingKeys.EMPTY).keys().stream()
                .filter(k -> operator || caller.is(k.holderUserId()))
                .map(IssuedKey::view).toList();
    }

    /**
     * Revokes one key (and the co-drivers' keys derived from it): an operator or tenant-admin, the key's holder, or the
     * borrower of its booking. Audited {@code key.revoked}; revoking a revoked key changes nothing.
     *
     * @throws NotFoundException  an unknown key id
     * @throws ForbiddenException a caller who may not revoke it
     */
    public IssuedKey revoke(String tenant, String keyId, Caller caller) {
        if (keyId == null || !KeyCredential.KEY_ID.matcher(keyId).matches()) {
            throw new NotFoundException("unknown key " + keyId);
        }
        String bookingId = keyIds(tenant).get(keyId).map(KeyBooking::bookingId)
                .orElseThrow(() -> new NotFoundException("unknown key " + keyId));
        IssuedKey key = keysOf(tenant).get(bookingId).flatMap(d -> d.find(keyId))
                .orElseThrow(() -> new NotFoundException("unknown key " + keyId));
        if (!caller.actsForTenant() && !caller.is(key.holderUserId())
                && bookings.find(tenant, bookingId).filter(b -> caller.is(b.userId())).isEmpty()) {
            throw new ForbiddenException("only the key's holder, the booking's borrower or an operator revokes a key");
        }
        revokeWhere(tenant, bookingId, k -> k.keyId().equals(keyId) || keyId.equals(k.parentKeyId()), caller.userId());
        return keysOf(tenant).get(bookingId).flatMap(d -> d.find(keyId)).orElse(key);
    }

    /** A lost phone: revokes every live key the caller holds, of every booking. */
    public List<IssuedKey> revokeAllOf(String tenant, Caller caller) {
        List<IssuedKey> revoked = new ArrayList<>();
        Instant now = clock.instant();
        JsonCollection<BookingKeys> docs = keysOf(tenant);
        for (String bookingId : docs.ids()) {
            boolean holds = docs.get(bookingId).orElse(BookingKeys.EMPTY).keys().stream()
                    .anyMatch(k -> caller.is(k.holderUserId()) && k.live(now));
            if (holds) {
                revoked.addAll(revokeWhere(tenant, bookingId, k -> caller.is(k.holderUserId()), caller.userId()));
            }
        }
        return revoked;
    }

    /** The booking closed, or co-drivers were dropped from it: their keys are revoked. */
    @Override
    public void onApplicationEvent(BookingAccessEnded ended) {
        String bookingId = ended.booking().id();
        if (keysOf(ended.tenant()).get(bookingId).isEmpty()) {
            return;
        }
        Predicate<IssuedKey> which = ended.closed() ? k -> true : k -> ended.userIds().contains(k.holderUserId());
        revokeWhere(ended.tenant(), bookingId, which, AuditEntry.SYSTEM);
    }

    /**
     * Revokes the live keys of the booking that {@code which} selects, in one conditional write, then adds them to the
     * signed list and audits each {@code key.revoked}.
     *
     * @return the keys this call revoked
     */
    private List<IssuedKey> revokeWhere(String tenant, String bookingId, Predicate<IssuedKey> which, String actor) {
        Instant now = clock.instant();
        List<IssuedKey> revoked = new ArrayList<>();
        keysOf(tenant).upsert(bookingId, BookingKeys.EMPTY, doc -> {
            revoked.clear();
            return doc.changing(k -> which.test(k) && k.live(now), k -> {
                IssuedKey r = k.revoke(now, actor);
                revoked.add(r);
                return r;
            });
        });
        if (!revoked.isEmpty()) {
            revocations.revoke(tenant, revoked.stream().map(k -> new RevocationList.Entry(k.keyId(), k.notAfter())).toList());
            for (IssuedKey k : revoked) {
                auditor.record(tenant, actor, "key.revoked", subject(k), AuditEntry.OK);
            }
        }
        return revoked;
    }

    /** The borrower's key a co-driver's derives from: the one named, or the borrower's newest live one. */
    private IssuedKey parent(String tenant, Booking booking, @Nullable String parentKeyId, Instant now) {
        List<IssuedKey> ofBooking = keysOf(tenant).get(booking.id()).orElse(BookingKeys.EMPTY).keys();
        if (parentKeyId == null) {
            return ofBooking.stream().filter(k -> k.parentKeyId() == null && k.holderUserId().equals(booking.userId()) && k.live(now))
                    .max(Comparator.comparing(IssuedKey::issuedAt))
                    .orElseThrow(() -> new ConflictException("the borrower holds no valid key of booking " + booking.id()
                            + " to share yet"));
        }
        IssuedKey parent = ofBooking.stream().filter(k -> k.keyId().equals(parentKeyId)).findFirst()
                .filter(k -> k.parentKeyId() == null && k.holderUserId().equals(booking.userId()))
                .orElseThrow(() -> new InvalidRequestException("parentKeyId " + parentKeyId
                        + " is not a key of the borrower of booking " + booking.id()));
        if (!parent.live(now)) {
            throw new ConflictException("parent key " + parentKeyId + " is " + (parent.revoked() ? "revoked" : "expired"));
        }
        return parent;
    }

    private static Set<KeyRight> rights(@Nullable List<String> names) {
        if (names == null) {
            return null;
        }
        if (names.isEmpty()) {
            throw new InvalidRequestException("rights must name at least one of " + List.of(KeyRight.values()));
        }
        Set<KeyRight> rights = EnumSet.noneOf(KeyRight.class);
        for (String name : names) {
            try {
                rights.add(KeyRight.valueOf(name == null ? "" : name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("unknown right " + name + ": rights are " + List.of(KeyRight.values()));
            }
        }
        return rights;
    }

    /** {@code key-} and 16 random hex digits, claimed in the id index so that no id is issued twice. */
    private String newKeyId(String tenant, String bookingId) {
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = "key-" + HexFormat.of().toHexDigits(random.nextLong());
            try {
                keyIds(tenant).create(id, new KeyBooking(bookingId));
                return id;
            } catch (DocumentExistsException e) {
                LOG.debug("key id collision, drawing another");
            }
        }
        throw new IllegalStateException("no free key id after 5 draws");
    }

    private static String fingerprint(byte[] point) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(point));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static String subject(IssuedKey k) {
        return "key/" + k.keyId() + " booking/" + k.bookingId() + " car/" + k.carId() + " holder/" + k.holderUserId();
    }

    private JsonCollection<BookingKeys> keysOf(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), KEYS, BookingKeys.class);
    }

    private JsonCollection<KeyBooking> keyIds(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), KEY_IDS, KeyBooking.class);
    }
}
