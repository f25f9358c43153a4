// Baseline for the cold-start benchmark: the cheapest Qt Quick window this
// machine can show, started and measured exactly like the console.
#include <QGuiApplication>
#include <QQuickView>
#include <QTimer>

#include <QElapsedTimer>
#include <cstdio>

int main(int argc, char** argv) {
  QElapsedTimer sinceStart;
  sinceStart.start();
  QGuiApplication app(argc, argv);
  QQuickView view;
  view.setSource(QUrl(QStringLiteral("data:text/plain,")));  // no QML at all
  view.setColor(Qt::black);
  view.resize(1280, 800);
  bool reported = false;
  QObject::connect(&view, &QQuickWindow::frameSwapped, &app, [&] {
    if (reported) return;
    reported = true;
    std::printf("first-frame %lld\n", static_cast<long long>(sinceStart.elapsed()));
    std::fflush(stdout);
    QTimer::singleShot(0, &app, &QCoreApplication::quit);
  }, Qt::QueuedConnection);
  view.show();
  return app.exec();
}
