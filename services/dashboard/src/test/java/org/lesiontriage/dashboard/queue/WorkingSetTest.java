package org.lesiontriage.dashboard.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.ReviewAction;
import org.lesiontriage.dashboard.testing.Results;

@Tag("unit")
class WorkingSetTest {

    private static final Instant T0 = Instant.parse("2026-01-01T08:00:00Z");
    private final List<String> dropped = new ArrayList<>();

    @Test
    void ordersUrgentFirstThenLongestWaiting() {
        WorkingSet set = new WorkingSet(10, 10, 10, dropped::add);
        add(set, "routine-old", "c1", 0.1, 0);
        add(set, "urgent-new", "c1", 0.9, 30);
        add(set, "urgent-old", "c2", 0.4, 10);
        add(set, "routine-new", "c2", 0.2, 20);

        assertThat(cases(set.view(QueueFilter.parse(null, null, null, 10), 0)))
                .containsExactly("urgent-old", "urgent-new", "routine-old", "routine-new");
    }

    @Test
    void filtersByClinicPriorityAndStatus() {
        WorkingSet set = new WorkingSet(10, 10, 10, dropped::add);
        add(set, "a", "c1", 0.9, 0);
        add(set, "b", "c2", 0.9, 1);
        add(set, "c", "c2", 0.1, 2);
        set.apply(review("b", ReviewAction.REVIEWED, 1));

        assertThat(cases(set.view(QueueFilter.parse("c2", null, null, 10), 0))).containsExactly("c");
        assertThat(cases(set.view(QueueFilter.parse(null, "urgent", "all", 10), 0))).containsExactly("a", "b");
        assertThat(cases(set.view(QueueFilter.parse(null, null, "reviewed", 10), 0))).containsExactly("b");
        QueueView all = set.view(QueueFilter.parse(null, null, "all", 1), 0);
        assertThat(all.rows()).hasSize(1);
        assertThat(all.matching()).isEqualTo(3);
        assertThat(all.openTotal()).isEqualTo(2);
        assertThat(all.openUrgent()).isEqualTo(1);
        assertThat(all.clinics()).containsExactly("c1", "c2");
    }

    @Test
    void keepsTheNewestAndTheOpenUpToTheirCapsAndCountsWhatItDrops() {
        WorkingSet set = new WorkingSet(3, 2, 10, dropped::add);
        add(set, "urgent-0", "c", 0.9, 0);
        add(set, "routine-1", "c", 0.1, 1);
        add(set, "routine-2", "c", 0.1, 2);
        add(set, "routine-3", "c", 0.1, 3);
        add(set, "routine-4", "c", 0.1, 4);
        add(set, "routine-5", "c", 0.1, 5);
        add(set, "routine-6", "c", 0.1, 6);

        // Newest three, plus two older open ones: the urgent one and the longest-waiting routine one.
        assertThat(cases(set.view(QueueFilter.parse(null, null, null, 10), 0)))
                .containsExactly("urgent-0", "routine-1", "routine-4", "routine-5", "routine-6");
        assertThat(set.size()).isEqualTo(5);
        assertThat(set.openDropped()).isEqualTo(2);
        assertThat(dropped).hasSize(2);
    }

    @Test
    void aReviewedResultLeavesOnceItIsNoLongerAmongTheNewest() {
        WorkingSet set = new WorkingSet(2, 5, 10, dropped::add);
        add(set, "old", "c", 0.9, 0);
        add(set, "mid", "c", 0.9, 1);
        add(set, "new", "c", 0.9, 2);
        assertThat(set.size()).isEqualTo(3); // "old" is open beyond the newest two

        set.apply(review("old", ReviewAction.REVIEWED, 0));

        assertThat(set.size()).isEqualTo(2);
        assertThat(dropped).hasSize(1);
        assertThat(set.openDropped()).isZero();
    }

    @Test
    void aReviewReadBeforeItsResultStillCoversIt() {
        WorkingSet set = new WorkingSet(10, 10, 10, dropped::add);
        set.apply(review("case", ReviewAction.REVIEWED, 5));

        add(set, "case", "c", 0.9, 5);
        add(set, "case", "c", 0.9, 6); // a later image of the case: open again

        QueueView view = set.view(QueueFilter.parse(null, null, "all", 10), 0);
        assertThat(view.rows()).as("one row per case").singleElement().satisfies(row -> {
            assertThat(row.reviewed()).as("open again while one image is not reviewed").isFalse();
            assertThat(row.images()).extracting(QueueView.Image::reviewed).containsExactly(true, false);
        });
        assertThat(view.openTotal()).isEqualTo(1);
        assertThat(set.view(QueueFilter.parse(null, null, "reviewed", 10), 0).rows()).singleElement()
                .satisfies(row -> assertThat(row.reviewer()).isEqualTo("dr-who"));
    }

    @Test
    void aCaseWithSeveralImagesIsOneRowPlacedByItsMostUrgentImage() {
        WorkingSet set = new WorkingSet(10, 10, 10, dropped::add);
        add(set, "case-1", "c", 0.2, 0);
        add(set, "case-2", "c", 0.25, 1);
        add(set, "case-1", "c", 0.9, 2); // the case's second image, URGENT: the case moves ahead of case-2
        add(set, "case-1", "c", 0.1, 3);

        QueueView view = set.view(QueueFilter.parse(null, null, null, 10), 0);
        assertThat(cases(view)).containsExactly("case-1", "case-2");
        assertThat(view.matching()).isEqualTo(2);
        QueueView.Row first = view.rows().get(0);
        assertThat(first.melanomaProbability()).isEqualTo(0.9);
        assertThat(first.images()).extracting(QueueView.Image::melanomaProbability).containsExactly(0.9, 0.2, 0.1);
        assertThat(first.reviewEventId()).as("a review covers the newest image, so all of them")
                .isEqualTo(first.images().get(2).eventId());
    }

    @Test
    void reopeningPutsTheCaseBackAndEveryChangeMovesTheVersion() {
        WorkingSet set = new WorkingSet(10, 10, 10, dropped::add);
        add(set, "case", "c", 0.9, 0);
        long before = set.version();
        set.apply(review("case", ReviewAction.REVIEWED, 0));
        assertThat(set.view(QueueFilter.parse(null, null, null, 10), 0).rows()).isEmpty();
        set.apply(review("case", ReviewAction.REOPENED, 0));

        assertThat(cases(set.view(QueueFilter.parse(null, null, null, 10), 0))).containsExactly("case");
        assertThat(set.version()).isEqualTo(before + 2);
    }

    @Test
    void remembersReviewsOfCasesNotHeldOnlyUpToItsCap() {
        WorkingSet set = new WorkingSet(10, 10, 2, dropped::add);
        add(set, "held", "c", 0.9, 0);
        set.apply(review("held", ReviewAction.REVIEWED, 0));
        for (int i = 0; i < 5; i++) {
            set.apply(review("other-" + i, ReviewAction.REVIEWED, 0));
        }
        assertThat(set.reviewsRemembered()).isLessThanOrEqualTo(3);
        assertThat(set.review("held")).isPresent();
        assertThat(set.review("other-4")).isPresent();
        assertThat(set.review("other-0")).isEmpty();
    }

    @Test
    void aResultReadTwiceCountsOnce() {
        WorkingSet set = new WorkingSet(10, 10, 10, dropped::add);
        QueueEntry entry = entry("case", "c", 0.9, 0);
        assertThat(set.add(entry)).isTrue();
        assertThat(set.add(entry)).isFalse();
        assertThat(set.size()).isEqualTo(1);
        assertThat(set.entry(entry.eventId())).contains(entry);
    }

    private static void add(WorkingSet set, String caseRef, String clinic, double p, int minute) {
        set.add(entry(caseRef, clinic, p, minute));
    }

    static QueueEntry entry(String caseRef, String clinic, double p, int minute) {
        return QueueEntry.of(Results.result(caseRef, clinic, p, T0.plusSeconds(60L * minute)), 0);
    }

    private static ReviewMark review(String caseRef, ReviewAction action, int throughMinute) {
        return new ReviewMark(caseRef, action, T0.plusSeconds(60L * throughMinute).toEpochMilli(), "dr-who",
                T0.toEpochMilli());
    }

    private static List<String> cases(QueueView view) {
        return view.rows().stream().map(QueueView.Row::caseRef).toList();
    }
}
