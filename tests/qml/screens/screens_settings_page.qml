import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// The manager's clinic settings page: only managers and admins see it; a stepper edit is a
// draft until Save; a loosening is refused naming the bound; Save stores it (audited); the
// E-STOP stays on top.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    ScreensFixture {
        name: "SettingsPage"
        root: root
        shellComponent: shellComponent
        stopComponent: stopComponent

        function init() { makeShell() }
        function cleanup() {
            if (screensSettings.dirty)
                screensSettings.revert()
            logOutAll()
        }

        // Local helper: this file relies only on ScreensFixture's makeShell/logIn/logOutAll.
        function press(parentItem, name) {
            let target = null
            tryVerify(() => {
                target = findChild(parentItem, name)
                return target !== null && target.visible && target.enabled
            }, 10000, name)
            waitForRendering(target)
            mouseClick(target)
        }

        function openAsManager() {
            logIn("manager", "manager-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            verify(shell.showPage("settings"))
            tryVerify(() => shell.currentPage !== null && shell.currentPage.objectName === "page_settings")
            tryVerify(() => !screensSettings.busy, 10000)
        }

        function test_managerSeesItTherapistDoesNot() {
            logIn("therapist", "therapist-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            verify(screensAuth.allowedPages.indexOf("settings") < 0)
            verify(!shell.showPage("settings"))
            verify(!screensSettings.canEdit)
            logOutAll()
            openAsManager()
            verify(screensAuth.allowedPages.indexOf("settings") >= 0)
            verify(screensSettings.canEdit)
            verifyEStopOnTop()
        }

        function test_stepperEditsTheDraftAndSaveStoresIt() {
            openAsManager()
            const before = screensSettings.groups[0].items[0].value
            compare(screensSettings.groups[0].items[0].key, "bilateral_thorax_window_h")
            const stepper = findChild(shell.currentPage, "setting_bilateral_thorax_window_h")
            verify(stepper !== null)
            const plus = findChild(stepper, "setting_bilateral_thorax_window_h_plus")
            verify(plus !== null && plus.enabled && plus.visible)
            // The figures' column has room (the presets' column once took all of it).
            const figures = findChild(shell.currentPage, "settingsFlick")
            waitForItemPolished(figures.parent, 5000)
            verify(figures.width >= 400, "figures column width " + figures.width)
            tap(plus)
            tryVerify(() => screensSettings.dirty)
            compare(screensSettings.groups[0].items[0].value, before + 1)
            press(shell.currentPage, "saveSettings")
            tryVerify(() => !screensSettings.busy && !screensSettings.dirty, 10000)
            verify(screensSettings.fromStore)
            verify(screensSettings.message.indexOf("saved") >= 0, screensSettings.message)
            compare(screensSettings.groups[0].items[0].value, before + 1)
            verifyEStopOnTop()
        }

        function test_looseningIsRefusedNamingIt() {
            openAsManager()
            screensSettings.setValue("estim_density_ack_ma_per_cm2", 3)
            verify(screensSettings.dirty)
            press(shell.currentPage, "saveSettings")
            tryVerify(() => screensSettings.message.indexOf("estim_density_ack_ma_per_cm2") >= 0, 5000,
                      screensSettings.message)
            verify(screensSettings.dirty)
        }

        function test_aPresetIsSavedAndFoundBySite() {
            openAsManager()
            shell.currentPage.setPreset("muscle", "upper_trapezius")
            press(shell.currentPage, "savePreset")
            tryVerify(() => !screensSettings.busy && screensSettings.presets.length > 0, 10000, screensSettings.message)
            const p = screensSettings.presetForSite("upper_trapezius_right")
            compare(p.muscle, "upper_trapezius")
            compare(p.wavelengthNm, 808)
            verify(p.timePerPointS >= 20 && p.timePerPointS <= 300)
            // Outside WALT (100 J at 200 mW = 500 s per point): refused, naming the muscle.
            shell.currentPage.setPreset("energyPerPointJ", 100)
            press(shell.currentPage, "savePreset")
            tryVerify(() => screensSettings.message.indexOf("upper_trapezius") >= 0, 5000, screensSettings.message)
            compare(screensSettings.presetForMuscle("upper_trapezius").energyPerPointJ, 4)
        }
    }
}
