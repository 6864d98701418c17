package io.latchkey.protocol.command;

/** What a command asks the car to do. */
public enum CommandType {
    UNLOCK,
    LOCK,
    /** Cut the starter through the immobiliser relay; refused while the car moves. */
    IMMOBILISE,
    /** Release the immobiliser. */
    MOBILISE,
    /**
     * End a rental: the car checks from its own signals that it may be left (doors and boot closed,
     * ignition off, stationary, key in its holder, inside the command's {@link HomeZone} if one came) and
     * then locks itself; otherwise it answers with every failed check and changes nothing.
     */
    END_RENTAL
}
