#include "keyring.h"

#include "coredumps.h"
#include "logging.h"

#include <QCoreApplication>
#include <QSemaphore>
#include <QThread>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <glib.h>

namespace Vigie {

// QtKeychain's thread. Its Secret Service backend, libsecret, answers through the GLib main
// context that is the calling thread's default: Vigie's GUI thread runs no GLib loop (QT_NO_GLIB,
// for libvirt), and GLib's global context belongs to libvirt's event thread. So this thread has a
// context of its own, iterated while a job waits for its answer; QtKeychain's Qt side (its job
// queue, KWallet's D-Bus calls) runs on this thread's Qt event loop. Everything QtKeychain does
// happens on this one thread.
class KeyringThread : public QThread
{
public:
    KeyringThread() { setObjectName(QStringLiteral("keyring")); }

    // Runs JOB here; DONE gets its answer, on this thread.
    void runJob(QKeychain::Job *job, std::function<void(Keyring::Answer)> done)
    {
        job->moveToThread(this);
        QMetaObject::invokeMethod(m_pump, [this, job, done = std::move(done)]() mutable {
            ++m_pending;
            // Direct: the job finishes on this thread. It deletes itself afterwards.
            QObject::connect(job, &QKeychain::Job::finished, m_pump, [this, job, done = std::move(done)] {
                --m_pending;
                Keyring::Answer answer;
                answer.ok = job->error() == QKeychain::NoError;
                answer.notFound = job->error() == QKeychain::EntryNotFound;
                if (!answer.ok && !answer.notFound) {
                    answer.error = job->errorString().isEmpty() ? Keyring::tr("the keyring gave no reason") : job->errorString();
                    qCWarning(lcKeyring) << "keyring:" << job->key() << answer.error;
                }
                if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job); read && answer.ok) {
                    keepSecretsOutOfCoreDumps();
                    answer.secret = read->binaryData();
                }
                done(std::move(answer));
            });
            job->start();
            m_pump->start();
        });
    }

protected:
    void run() override
    {
        GMainContext *context = g_main_context_new();
        g_main_context_push_thread_default(context);
        QTimer pump;
        m_pump = &pump;
        // While an answer is awaited, GLib's context is looked at every 10 ms (a keyring is asked
        // a few times a session; idle, this costs nothing).
        pump.setInterval(10);
        QObject::connect(&pump, &QTimer::timeout, &pump, [this, context, &pump] {
            while (g_main_context_iteration(context, FALSE)) {
            }
            if (m_pending == 0)
                pump.stop();
        });
        m_ready.release();
        exec();
        m_pump = nullptr;
        g_main_context_pop_thread_default(context);
        g_main_context_unref(context);
    }

public:
    // Starts the thread and returns once it can take jobs.
    void startAndWait()
    {
        QThread::start();
        m_ready.acquire();
    }

private:
    QTimer *m_pump = nullptr; // this thread's, while it runs
    int m_pending = 0;        // jobs started and not finished (this thread only)
    QSemaphore m_ready;
};

namespace {

// One thread for the process: QtKeychain's job queue is a singleton that stays on the thread that
// first used it. Ended when the application object goes.
KeyringThread *s_thread = nullptr;

KeyringThread *keyringThread()
{
    if (!s_thread) {
        s_thread = new KeyringThread;
        s_thread->startAndWait();
        qAddPostRoutine([] {
            // Jobs still waiting for the keyring are dropped with the loop; the wait is bounded
            // (QtKeychain's calls are asynchronous on that thread).
            s_thread->quit();
            if (!s_thread->wait(2000))
                qCWarning(lcKeyring) << "the keyring thread did not end within 2 s";
            else
                delete s_thread;
            s_thread = nullptr;
        });
    }
    return s_thread;
}

} // namespace

Keyring::Keyring(QObject *parent)
    : QObject(parent)
    , m_alive(std::make_shared<bool>(true))
{
}

Keyring::~Keyring()
{
    *m_alive = false;
}

void Keyring::run(Operation operation, const QString &key, const QByteArray &secret, Callback done)
{
    const QString service = QCoreApplication::applicationName();
    QKeychain::Job *job = nullptr;
    switch (operation) {
    case Operation::Read: job = new QKeychain::ReadPasswordJob(service); break;
    case Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(service);
        write->setBinaryData(secret);
        job = write;
        break;
    }
    case Operation::Remove: job = new QKeychain::DeletePasswordJob(service); break;
    }
    job->setKey(key);
    // Never a plain-text file when no keyring answers: that is what the keyring is for.
    job->setInsecureFallback(false);
    // The answer comes back to the GUI thread (this object's), and goes nowhere if this object went.
    keyringThread()->runJob(job, [alive = m_alive, done = std::move(done)](Keyring::Answer answer) mutable {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [alive, done = std::move(done), answer = std::move(answer)]() mutable {
                if (*alive)
                    done(std::move(answer));
            },
            Qt::QueuedConnection);
    });
}

void Keyring::read(const QString &key, Callback done)
{
    run(Operation::Read, key, {}, std::move(done));
}

void Keyring::write(const QString &key, const QByteArray &secret, Callback done)
{
    run(Operation::Write, key, secret, std::move(done));
}

void Keyring::remove(const QString &key, Callback done)
{
    run(Operation::Remove, key, {}, std::move(done));
}

} // namespace Vigie
