package org.lesiontriage.dashboard.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.lesiontriage.contracts.TriagePriority;

/**
 * The results the dashboard holds, bounded whatever the size of the topic: the newest {@code recent} results,
 * reviewed or not, and beyond them at most {@code openCap} open (unreviewed) ones; past the cap the open result
 * last in queue order (the least urgent, then the newest) is dropped and counted. A reviewed result is dropped
 * once it is no longer among the newest. Reviews are kept per case: always for cases held, and up to
 * {@code reviewCap} more, because a review can be read before the result it covers.
 *
 * <p>Thread-safe: the topic reader writes, the browsers' streams read.
 */
public final class WorkingSet {

    private final int recentCap;
    private final int openCap;
    private final int reviewCap;
    private final Consumer<String> onDrop;

    private final Map<String, QueueEntry> held = new HashMap<>();
    private final LinkedHashMap<String, QueueEntry> recent = new LinkedHashMap<>();
    private final TreeSet<QueueEntry> olderOpen = new TreeSet<>(QueueEntry.QUEUE_ORDER);
    private final Map<String, Set<String>> heldByCase = new HashMap<>();
    private final LinkedHashMap<String, ReviewMark> reviews = new LinkedHashMap<>();
    private long version;
    private long openDropped;

    /** @param onDrop told the event id of every result that leaves the working set (its thumbnail goes too) */
    public WorkingSet(int recentCap, int openCap, int reviewCap, Consumer<String> onDrop) {
        if (recentCap < 1 || openCap < 0 || reviewCap < 0) {
            throw new IllegalArgumentException("working set sizes must be positive: recent " + recentCap
                    + ", open cap " + openCap + ", reviews " + reviewCap);
        }
        this.recentCap = recentCap;
        this.openCap = openCap;
        this.reviewCap = reviewCap;
        this.onDrop = onDrop;
    }

    /** Adds a result; false when it is already held (a record read twice). */
    public synchronized boolean add(QueueEntry entry) {
        if (held.containsKey(entry.eventId())) {
            return false;
        }
        held.put(entry.eventId(), entry);
        recent.put(entry.eventId(), entry);
        heldByCase.computeIfAbsent(entry.caseRef(), c -> new HashSet<>()).add(entry.eventId());
        while (recent.size() > recentCap) {
            Iterator<QueueEntry> eldest = recent.values().iterator();
            QueueEntry aged = eldest.next();
            eldest.remove();
            if (reviewed(aged)) {
                drop(aged);
            } else {
                olderOpen.add(aged);
            }
        }
        while (olderOpen.size() > openCap) {
            drop(olderOpen.pollLast());
            openDropped++;
        }
        version++;
        return true;
    }

    /** Applies the latest review of a case (from the topic, or just written by this instance). */
    public synchronized void apply(ReviewMark mark) {
        reviews.remove(mark.caseRef());
        reviews.put(mark.caseRef(), mark);
        for (String eventId : List.copyOf(heldByCase.getOrDefault(mark.caseRef(), Set.of()))) {
            QueueEntry entry = held.get(eventId);
            if (mark.covers(entry) && olderOpen.remove(entry)) {
                drop(entry);
            }
        }
        forgetReviewsOverCap();
        version++;
    }

    public synchronized Optional<QueueEntry> entry(String eventId) {
        return Optional.ofNullable(held.get(eventId));
    }

    public synchronized Optional<ReviewMark> review(String caseRef) {
        return Optional.ofNullable(reviews.get(caseRef));
    }

    /** Changes with every change of the queue, so a stream pushes only when there is something new. */
    public synchronized long version() {
        return version;
    }

    public synchronized int size() {
        return held.size();
    }

    public synchronized int reviewsRemembered() {
        return reviews.size();
    }

    public synchronized long openDropped() {
        return openDropped;
    }

    /**
     * The rows of {@code filter} in queue order, one per case (a case with several images is one row, placed by its
     * most urgent image), with counts over everything held.
     */
    public synchronized QueueView view(QueueFilter filter, long nowMs) {
        List<QueueEntry> matching = new ArrayList<>();
        TreeSet<String> clinics = new TreeSet<>();
        int open = 0;
        int openUrgent = 0;
        for (QueueEntry entry : held.values()) {
            boolean reviewed = reviewed(entry);
            clinics.add(entry.clinicId());
            if (!reviewed) {
                open++;
                openUrgent += entry.priority() == TriagePriority.URGENT ? 1 : 0;
            }
            if (filter.matches(entry, reviewed)) {
                matching.add(entry);
            }
        }
        matching.sort(QueueEntry.QUEUE_ORDER);
        Map<String, List<QueueEntry>> byCase = new LinkedHashMap<>();
        for (QueueEntry entry : matching) {
            byCase.computeIfAbsent(entry.caseRef(), c -> new ArrayList<>()).add(entry);
        }
        List<QueueView.Row> rows = byCase.values().stream().limit(filter.limit()).map(this::row).toList();
        return new QueueView(version, nowMs, open, openUrgent, byCase.size(), openDropped, List.copyOf(clinics),
                rows);
    }

    /** A case's row: its images in queue order, the first (most urgent) heading it. */
    private QueueView.Row row(List<QueueEntry> images) {
        QueueEntry head = images.get(0);
        ReviewMark mark = reviews.get(head.caseRef());
        boolean reviewed = images.stream().allMatch(this::reviewed);
        QueueEntry newest = images.stream().max(java.util.Comparator.comparingLong(QueueEntry::receivedAtMs)).orElse(head);
        List<QueueView.Image> shown = images.stream().map(e -> new QueueView.Image(e.eventId(), e.priority().name(),
                e.melanomaProbability(), e.receivedAtMs(), reviewed(e))).toList();
        return new QueueView.Row(head.eventId(), head.caseRef(), head.clinicId(), head.priority().name(),
                head.melanomaProbability(), head.threshold(), head.modelName() + " " + head.modelVersion(),
                head.receivedAtMs(), reviewed, reviewed ? mark.reviewer() : null, reviewed ? mark.reviewedAtMs() : null,
                newest.eventId(), shown);
    }

    private boolean reviewed(QueueEntry entry) {
        ReviewMark mark = reviews.get(entry.caseRef());
        return mark != null && mark.covers(entry);
    }

    private void drop(QueueEntry entry) {
        held.remove(entry.eventId());
        Set<String> ofCase = heldByCase.get(entry.caseRef());
        if (ofCase != null) {
            ofCase.remove(entry.eventId());
            if (ofCase.isEmpty()) {
                heldByCase.remove(entry.caseRef());
            }
        }
        onDrop.accept(entry.eventId());
    }

    /** Forgets the oldest reviews of cases not held; a held case keeps its review. */
    private void forgetReviewsOverCap() {
        int excess = reviews.size() - reviewCap - heldByCase.size();
        Iterator<ReviewMark> oldest = reviews.values().iterator();
        while (excess > 0 && oldest.hasNext()) {
            if (!heldByCase.containsKey(oldest.next().caseRef())) {
                oldest.remove();
                excess--;
            }
        }
    }
}
