import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Status bar on top, navigation rail on the left, the current page in the
// rest, and the E-STOP above everything (including dialogs).
Item {
    id: shell
    required property EmergencyStop emergencyStop
    // View models by name; a page gets each one it declares a property for.
    property var services: ({})
    readonly property DevicesModel devices: services.devices !== undefined ? services.devices : null
    readonly property LaserController laser: services.laser !== undefined ? services.laser : null
    // The screen lock must never engage while the laser emits.
    readonly property bool laserEmitting: laser !== null && laser.emitting
    // Who is logged in; without it (tests of other pages) every page is open.
    readonly property AuthModel auth: services.auth !== undefined ? services.auth : null
    // The rail shows only the pages the user's role may open (the store checks again).
    readonly property var navPages: auth === null ? pages
                                    : pages.filter(p => shell.auth.allowedPages.indexOf(p.key) >= 0)

    readonly property var pages: [
        { key: "login", title: qsTr("Log in"), source: "pages/LoginPage.qml" },
        { key: "patient", title: qsTr("Patient"), source: "pages/PatientPage.qml" },
        { key: "bodymap", title: qsTr("Body map"), source: "pages/BodyMapPage.qml" },
        { key: "needling", title: qsTr("Needling"), source: "pages/NeedlingPage.qml" },
        { key: "laser", title: qsTr("Laser"), source: "pages/LaserPage.qml" },
        { key: "summary", title: qsTr("Summary"), source: "pages/SummaryPage.qml" },
        { key: "audit", title: qsTr("Audit"), source: "pages/AuditPage.qml" },
        { key: "users", title: qsTr("Users"), source: "pages/UsersPage.qml" },
        { key: "devices", title: qsTr("Devices"), source: "pages/DevicesPage.qml" },
        { key: "settings", title: qsTr("Settings"), source: "pages/SettingsPage.qml" }
    ]
    property int currentIndex: 0
    readonly property string currentPageKey: pages[currentIndex].key
    readonly property alias currentPage: pageLoader.item
    readonly property alias emergencyStopButton: stopButton

    function showPage(key) {
        if (auth !== null && !auth.canOpenPage(key))
            return false
        for (let i = 0; i < pages.length; ++i) {
            if (pages[i].key === key) {
                currentIndex = i
                return true
            }
        }
        return false
    }

    Rectangle {
        anchors.fill: parent
        color: Theme.background
    }

    StatusBar {
        id: statusBar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        pageTitle: shell.pages[shell.currentIndex].title
        devicesSummary: shell.devices ? shell.devices.summary : qsTr("no device service")
        userSummary: shell.auth ? shell.auth.userSummary : qsTr("not logged in")
        laserGlance: shell.laser ? shell.laser.glance : ""
        laserState: shell.laser ? shell.laser.state : ""
    }

    NavigationRail {
        id: rail
        anchors { left: parent.left; top: statusBar.bottom; bottom: parent.bottom }
        // The E-STOP sits at the rail's foot; keep the buttons clear of it.
        bottomMargin: Theme.emergencyStopHeight + 2 * Theme.spacing
        pages: shell.navPages
        currentIndex: shell.navPages.findIndex(p => p.key === shell.currentPageKey)
        onSelected: index => shell.showPage(shell.navPages[index].key)
    }

    Loader {
        id: pageLoader
        objectName: "pageLoader"
        anchors {
            left: rail.right; right: parent.right; top: statusBar.bottom; bottom: parent.bottom
            margins: Theme.spacing
        }
        source: shell.pages[shell.currentIndex].source
        // Pages declare the services they use as properties; hand them over.
        onLoaded: {
            for (const name in shell.services) {
                if (item.hasOwnProperty(name))
                    item[name] = shell.services[name]
            }
        }
    }

    // Log-in opens the user's first page; log-out or a role change closes pages they may not see.
    // Unlocking is the same user resuming: they stay where the lock found them (a therapist
    // auto-locked on the needling page comes back to it, not to the patient list).
    property string lockedLogin: ""
    Connections {
        target: shell.auth
        function onLoggedInAs(login: string) {
            const resuming = login === shell.lockedLogin && shell.auth.canOpenPage(shell.currentPageKey)
            shell.lockedLogin = ""
            if (!resuming)
                shell.showPage(shell.auth.homePage)
        }
        function onLockedChanged() {
            if (shell.auth.locked)
                shell.lockedLogin = shell.auth.login
        }
        function onUserChanged() {
            if (!shell.auth.loggedIn)
                shell.lockedLogin = ""
            if (!shell.auth.canOpenPage(shell.currentPageKey))
                shell.showPage("login")
        }
    }
    // Never auto-lock during laser emission.
    Binding {
        target: shell.auth
        property: "lockInhibited"
        value: shell.laserEmitting
        when: shell.auth !== null && shell.laser !== null
    }
    LockScreen {
        auth: shell.auth
        x: 0
        y: 0
        width: shell.width
        height: shell.height
    }

    EmergencyStopButton {
        id: stopButton
        x: Theme.spacing
        y: shell.height - height - Theme.spacing
        width: Theme.railWidth - 2 * Theme.spacing
        height: Theme.emergencyStopHeight
        onActivated: shell.emergencyStop.press()
    }

    EmergencyStopNotice {
        id: notice
        emergencyStop: shell.emergencyStop
        x: Theme.railWidth + Theme.spacing
        y: shell.height - height - Theme.spacing
        width: shell.width - Theme.railWidth - 2 * Theme.spacing
    }
}
