import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// Log in, lockout, lock screen and role-dependent navigation on the real shell.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }
    Component { id: mainComponent; Main {} }

    ScreensFixture {
        name: "Login"
        root: root
        shellComponent: shellComponent
        stopComponent: stopComponent

        function init() { makeShell() }
        function cleanup() { logOutAll() }

        function test_startsOnLoginWithOnlyTheLoginPageAndEStop() {
            compare(shell.currentPageKey, "login")
            verify(findChild(shell, "nav_login") !== null)
            compare(findChild(shell, "nav_patient"), null, "no patient page before log-in")
            compare(findChild(shell, "nav_audit"), null)
            verify(!shell.showPage("patient"))
            verifyEStopOnTop()
            compare(findChild(shell, "userStatus").value, "not logged in")
        }

        function test_wrongPasswordSaysSoWithoutNamingTheAccount() {
            logIn("therapist", "definitely-wrong")
            const message = findChild(shell.currentPage, "loginMessageText")
            tryVerify(() => message.text.indexOf("Login or password is wrong") === 0)
            verify(!screensAuth.loggedIn)
            const wrongText = message.text
            logIn("no-such-user", "whatever-123")
            tryCompare(message, "text", wrongText)
            compare(findChild(shell, "passwordField").text, "", "the password field is cleared")
        }

        function test_fiveFailuresLockTheAccount() {
            for (let i = 0; i < 4; ++i)
                logIn("lockme", "wrong-" + i)
            const message = findChild(shell.currentPage, "loginMessageText")
            verify(message.text.indexOf("locked") < 0 || message.text.indexOf("After 5") >= 0)
            logIn("lockme", "wrong-5")
            tryVerify(() => message.text.indexOf("now locked for 15 minutes") >= 0, 5000, message.text)
            logIn("lockme", "lockme-pass-1")
            tryVerify(() => message.text.indexOf("locked after 5 failed attempts") >= 0, 5000, message.text)
            verify(!screensAuth.loggedIn)
        }

        function test_therapistSeesClinicalPagesOnly() {
            logIn("therapist", "therapist-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            tryCompare(shell, "currentPageKey", "patient")
            for (const key of ["login", "patient", "bodymap", "needling", "laser", "summary", "devices"])
                verify(findChild(shell, "nav_" + key) !== null, key + " shown to a therapist")
            for (const key of ["audit", "users"])
                compare(findChild(shell, "nav_" + key), null, key + " hidden from a therapist")
            verify(!shell.showPage("audit"))
            compare(shell.currentPageKey, "patient")
            verify(findChild(shell, "userStatus").value.indexOf("Theo Therapist") >= 0)
            verify(findChild(shell, "userStatus").value.indexOf("therapist") >= 0)
        }

        function test_managerSeesAuditAndUsersNotTreatment() {
            logIn("manager", "manager-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            tryCompare(shell, "currentPageKey", "patient")
            for (const key of ["patient", "summary", "audit", "users"])
                verify(findChild(shell, "nav_" + key) !== null, key + " shown to a manager")
            for (const key of ["bodymap", "needling", "laser", "devices"])
                compare(findChild(shell, "nav_" + key), null, key + " hidden from a manager")
            tapNamed(shell, "nav_audit")
            tryCompare(shell, "currentPageKey", "audit")
            // Log out: back to the login page, pages closed.
            screensAuth.logOut()
            tryCompare(shell, "currentPageKey", "login")
            compare(findChild(shell, "nav_audit"), null)
        }

        function test_vendorSeesDevicesOnly() {
            logIn("vendor", "vendor-pass-1")
            tryCompare(shell, "currentPageKey", "devices")
            compare(findChild(shell, "nav_patient"), null)
            compare(findChild(shell, "nav_audit"), null)
        }

        function test_lockScreenKeepsEStopAndUnlocksWithPassword() {
            logIn("therapist", "therapist-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            screensAuth.lock()
            const lock = findChild(shell, "lockScreen")
            tryVerify(() => lock.opened)
            verifyEStopOnTop()
            verify(shell.emergencyStopButton.z > lock.z)
            mouseClick(shell.emergencyStopButton.contentItem)
            compare(stop.pressCount, 1, "the lock screen must not swallow the E-STOP")
            // The password field has the focus, so the on-screen keyboard is up; Unlock
            // lies above it and a tap on it must reach it (the keyboard's layer used to
            // swallow it: see qml/KeyboardLayer.qml).
            const password = findChild(lock.contentItem, "unlockPassword")
            const unlock = findChild(lock.contentItem, "unlockButton")
            tryVerify(() => password.activeFocus && keyboard.keyboardUp && Qt.inputMethod.visible, 5000,
                      "keyboard up for the password")
            verify(!underKeyboard(unlock), "Unlock lies above the keyboard")
            password.text = "wrong-password"
            mouseClick(unlock)
            tryVerify(() => !screensAuth.busy && screensAuth.message.length > 0, 10000)
            verify(lock.opened)
            compare(password.text, "", "the wrong password is cleared")
            verify(keyboard.keyboardUp, "the tap kept the keyboard up for the next try")
            password.text = "therapist-pass-1"
            mouseClick(unlock)
            tryVerify(() => !lock.visible, 10000)
            compare(screensAuth.login, "therapist")
        }

        function test_lockScreenTakesThePasswordFromTheOnScreenKeyboard() {
            logIn("therapist", "therapist-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            screensAuth.lock()
            const lock = findChild(shell, "lockScreen")
            tryVerify(() => lock.opened)
            const password = findChild(lock.contentItem, "unlockPassword")
            tryVerify(() => password.activeFocus && keyboard.keyboardUp, 5000, "keyboard up for the password")
            waitForRendering(keyboard.panel)
            // The keys work under the modal lock screen: a tap on "x" types it.
            mouseClick(keyOf(Qt.Key_X))
            tryCompare(password, "text", "x", 5000)
            mouseClick(keyOf(Qt.Key_Backspace))
            tryCompare(password, "text", "", 5000)
            // The keyboard's Enter key submits, as the Unlock button does.
            password.text = "therapist-pass-1"
            mouseClick(keyOf(Qt.Key_Return))
            tryVerify(() => !lock.visible, 10000)
            compare(screensAuth.login, "therapist")
        }

        function test_unlockReturnsToThePageTheLockFound() {
            logIn("therapist", "therapist-pass-1")
            tryCompare(shell, "currentPageKey", "patient")
            verify(shell.showPage("summary"))
            screensAuth.lock()
            const lock = findChild(shell, "lockScreen")
            tryVerify(() => lock.opened)
            findChild(lock.contentItem, "unlockPassword").text = "therapist-pass-1"
            tap(findChild(lock.contentItem, "unlockButton"))
            tryVerify(() => !lock.visible, 10000)
            compare(shell.currentPageKey, "summary", "unlocking resumes where the lock found the user")
            // Switch user (log out) from the lock screen: the next log-in starts on the home page.
            screensAuth.lock()
            tryVerify(() => lock.opened)
            tap(findChild(lock.contentItem, "switchUserButton"))
            tryCompare(shell, "currentPageKey", "login")
            logIn("therapist", "therapist-pass-1")
            tryCompare(shell, "currentPageKey", "patient")
        }

        function test_changeOwnPasswordFromTheSignedInPage() {
            logIn("changer", "changer-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            verify(shell.showPage("login"))
            tryVerify(() => findChild(shell.currentPage, "changePasswordButton") !== null)
            mouseClick(findChild(shell.currentPage, "changePasswordButton"))
            const dialog = findChild(shell.currentPage, "changePasswordDialog")
            tryVerify(() => dialog.opened)
            verifyEStopOnTop()
            verify(shell.emergencyStopButton.z > dialog.z)
            const content = dialog.contentItem
            const confirm = findChild(content, "changePasswordConfirm")
            findChild(content, "oldPassword").text = "wrong-old-pass"
            findChild(content, "newPassword").text = "changer-new-1"
            findChild(content, "repeatPassword").text = "changer-new-1"
            mouseClick(confirm)
            tryVerify(() => !screensUsers.busy, 10000)
            const message = findChild(content, "changePasswordMessageText")
            tryVerify(() => message.text.indexOf("not correct") >= 0, 5000, message.text)
            verify(dialog.opened)
            compare(findChild(content, "oldPassword").text, "", "the old password field is cleared")
            findChild(content, "oldPassword").text = "changer-pass-1"
            findChild(content, "repeatPassword").text = "changer-new-2"
            mouseClick(confirm)
            tryVerify(() => message.text.indexOf("differ") >= 0, 5000, message.text)
            findChild(content, "oldPassword").text = "changer-pass-1"
            findChild(content, "repeatPassword").text = "changer-new-1"
            mouseClick(confirm)
            tryVerify(() => !dialog.visible, 10000)
            screensAuth.logOut()
            tryCompare(shell, "currentPageKey", "login")
            logIn("changer", "changer-pass-1")
            verify(!screensAuth.loggedIn, "the old password no longer works")
            logIn("changer", "changer-new-1")
            tryVerify(() => screensAuth.loggedIn)
        }

        function test_autoLockIsInhibitedDuringEmission() {
            screensAuth.autoLockSeconds = 1
            logIn("therapist", "therapist-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            screensAuth.lockInhibited = true
            wait(1500)
            verify(!screensAuth.locked, "never locks during emission")
            screensAuth.lockInhibited = false
            tryVerify(() => screensAuth.locked, 3000)
            screensAuth.autoLockSeconds = 300
        }
    }

    // The console's own window (Main.qml: ApplicationWindow, Shell, KeyboardLayer) as
    // ConsoleApplication builds it: lock it and unlock with a tap on Unlock and with the
    // keyboard's keys while the keyboard is up. Its own TestCase: one InputPanel at a time.
    TestCase {
        id: mainWindowCase
        name: "MainWindow"
        when: windowShown

        // Give the focus back to the test's window for the other test cases.
        function cleanup() {
            if (screensAuth.loggedIn)
                screensAuth.logOut()
            screensAuth.clearMessage()
            root.Window.window.requestActivate()
            tryVerify(() => root.Window.active, 5000, "test window active again")
        }

        function findKey(item, code) {
            if (item.key === code && item.visible && item.width > 0 && item.enabled !== false)
                return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = findKey(item.children[i], code)
                if (found)
                    return found
            }
            return null
        }

        function test_lockScreenOnTheConsoleWindow() {
            const stop = createTemporaryObject(stopComponent, root)
            const window = createTemporaryObject(mainComponent, root, { emergencyStop: stop, services: screensServices })
            verify(window !== null)
            window.requestActivate()
            tryVerify(() => window.active, 5000, "console window active")
            tryCompare(screensAuth, "stage", AuthModel.LoggedOut, 10000)
            const layer = findChild(window, "keyboardLayer")
            verify(layer !== null, "the keyboard layer sits in the window's overlay")
            tryVerify(() => layer.panel !== null, 5000)
            screensAuth.logIn("therapist", "therapist-pass-1")
            tryVerify(() => screensAuth.loggedIn, 10000)
            screensAuth.lock()
            const lock = findChild(window, "lockScreen")
            verify(lock !== null)
            tryVerify(() => lock.opened)
            const password = findChild(lock.contentItem, "unlockPassword")
            tryVerify(() => password.activeFocus && layer.keyboardUp, 5000, "keyboard up on the lock screen")
            waitForRendering(window.contentItem)
            // A key types under the modal lock screen; Unlock takes a tap above the keys.
            const keyX = findKey(layer.panel, Qt.Key_X)
            verify(keyX !== null)
            mouseClick(keyX)
            tryCompare(password, "text", "x", 5000)
            password.text = "therapist-pass-1"
            const unlock = findChild(lock.contentItem, "unlockButton")
            const c = unlock.mapToItem(null, unlock.width / 2, unlock.height / 2)
            verify(c.y < layer.y, "Unlock above the keyboard")
            mouseClick(unlock)
            tryVerify(() => !lock.visible, 10000)
            compare(screensAuth.login, "therapist")
            window.close()
        }
    }
}
