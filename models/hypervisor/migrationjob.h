#pragma once

#include "libvirtutil.h"
#include "migration.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <thread>

namespace Vigie {

class LibvirtEventLoop;

// One live migration between two real hosts. Lives on its own thread (MigrationController's):
// the blocking migrate call runs on a further thread of its own, while this object polls
// libvirt's job statistics every 200 ms and can abort the job. Opens its own connections to
// both hosts, so the hosts' sessions keep working undisturbed. Reports with value types.
class MigrationJob : public QObject
{
    Q_OBJECT

public:
    MigrationJob(const MigrationProgress &job, const MigrationOptions &options);
    ~MigrationJob() override;

    // Invoked through queued calls on the job's thread.
    void start();
    // Follows the outgoing migration libvirt already runs for the VM (started by an earlier run
    // of Vigie, or by anyone): the same progress, cancel and outcome, without the migrate call.
    // Only the source is needed: its job says how far it is, and once the job is gone, where
    // the source's daemon left the VM says how it ended.
    void adopt();
    // Resumes a migration that failed after its switchover (this job's phase PostCopyFailed, or
    // libvirt's domain paused "post-copy failed" on the source): the migrate call again, with the
    // migration's own flags plus VIR_MIGRATE_POSTCOPY_RESUME, as libvirt requires. It ends like
    // start(): completed, or post-copy failed again.
    void resume();
    void cancel();

    // libvirt's flags for OPTIONS, the domain active or not; RESUME adds post-copy recovery.
    [[nodiscard]] static unsigned int migrationFlags(const MigrationOptions &options, bool active, bool resume = false);

Q_SIGNALS:
    void progressed(const Vigie::MigrationProgress &progress);
    void finished(const Vigie::MigrationProgress &progress);

private:
    // The source's connection and the VM's domain there; false (and finished) when either fails.
    bool openSource();
    // Opens the destination and runs the migrate call on its own thread.
    void launch(unsigned int flags);
    void poll();
    // The source domain's state says post-copy: the switchover happened (whoever asked), or it
    // failed after it. Returns true when the job ended there (post-copy failed).
    bool followPostCopy();
    void migrationReturned(bool ok, const QString &error, quintptr newDomain);
    void fail(const QString &message);
    void concludeAdopted();
    void finish();
    void release();

    std::shared_ptr<LibvirtEventLoop> m_eventLoop; // runs the keepalive of both connections
    MigrationProgress m_job;
    const MigrationOptions m_options;
    Libvirt::Connection m_source;
    Libvirt::Connection m_dest;
    Libvirt::Domain m_domain;
    std::thread m_migrate;
    bool m_cancelRequested = false;
    bool m_postCopyStarted = false;
    bool m_downtimeSet = false;
    bool m_adopted = false;
    bool m_resuming = false;
    int m_settleChecks = 0; // adopted: polls seeing the VM still paused by the ended job
    QString m_lostHost; // the host whose daemon stopped answering mid-migration
    qint64 m_startedMs = 0;
    QTimer m_pollTimer{this};
};

} // namespace Vigie
