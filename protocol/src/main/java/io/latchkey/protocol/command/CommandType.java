package io.latchkey.protocol.command;

/** What a command asks the car to do. */
public enum CommandType {
    UNLOCK,
    LOCK,
    /** Cut the starter through the immobiliser relay; refused while the car moves. */
    IMMOBILISE,
    /** Release the immobiliser. */
    MOBILISE
}
