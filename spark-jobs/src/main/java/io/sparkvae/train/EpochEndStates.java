package io.sparkvae.train;

import java.util.zip.CRC32;

/**
 * The mean state an executor JVM's workers ended their last epoch with, which is the state the driver starts the next
 * epoch from: a worker that finds it here (and its checksum equal to the driver's) does not fetch the epoch's broadcast
 * start state, 10-30 MB per task. One state per JVM, of the newest training only.
 */
final class EpochEndStates {
    private static String trainingId;
    private static int epoch;
    private static TrainingState state;
    private static long checksum;

    private EpochEndStates() {}

    /** Keeps {@code end}, the mean after {@code epochNumber} of {@code id}'s training. */
    static synchronized void keep(String id, int epochNumber, TrainingState end) {
        if (id.equals(trainingId) && epoch == epochNumber) {
            return; // another worker of this JVM kept the same bits
        }
        trainingId = id;
        epoch = epochNumber;
        state = end;
        checksum = checksum(end);
    }

    /** The state kept after {@code epochNumber} of {@code id}'s training if its checksum is {@code expected}, else null. */
    static synchronized TrainingState find(String id, int epochNumber, long expected) {
        return id.equals(trainingId) && epoch == epochNumber && checksum == expected ? state : null;
    }

    /** Drops what this JVM keeps of {@code id}'s training. */
    static synchronized void release(String id) {
        if (id.equals(trainingId)) {
            trainingId = null;
            state = null;
        }
    }

    /** A checksum of the state's bits and iteration count. */
    static long checksum(TrainingState s) {
        CRC32 crc = new CRC32();
        crc.update(s.parameters());
        if (s.updaterState() != null) {
            crc.update(s.updaterState());
        }
        crc.update(s.iteration());
        return crc.getValue();
    }
}
