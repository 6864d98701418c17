package io.latchkey.agent.journal;

/** A record whose checksum matched but whose content this version cannot decode. */
public class MalformedRecordException extends JournalException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
