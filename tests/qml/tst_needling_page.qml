import QtQuick
import QtTest
import Tautband.Models
import Tautband.Ui

// The needling page with its real view model: a refused insertion shows which
// rule and why and records nothing, the research amplifier is named, the
// close button refuses while needles are in, and the E-STOP stays visible.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    TestCase {
        name: "NeedlingPage"
        when: windowShown

        property var shell
        property var page

        function init() {
            const stop = createTemporaryObject(stopComponent, root)
            shell = createTemporaryObject(shellComponent, root, {
                emergencyStop: stop,
                services: { needling: testNeedling, bodyMap: testBodyMap }
            })
            verify(shell.showPage("needling"))
            tryVerify(() => shell.currentPage !== null && shell.currentPage.objectName === "page_needling")
            page = shell.currentPage
            waitForRendering(page)
        }

        function test_refusalShowsTheRuleAndNothingIsRecorded() {
            compare(page.needling, testNeedling, "the shell hands the page its service")
            // Tap the rhomboids on the back view: over the lung field, patient not screened.
            testNeedling.selectPoint("back", 0.55, 0.25)
            testNeedling.needleLengthMm = 40
            tryCompare(findChild(page, "decisionLevel"), "text", "REFUSE")
            const refusal = findChild(page, "rule_PF-NOT-SCREENED")
            verify(refusal !== null && refusal.visible, "the refusing rule is listed")
            verify(refusal.text.indexOf("PF-NOT-SCREENED") >= 0 && refusal.text.length > 40, "with its reason in words")
            const insert = findChild(page, "insertNeedle")
            verify(!insert.enabled, "no insertion button while refused")
            testNeedling.insertNeedle()
            compare(testNeedling.needlesIn, 0)
            verify(findChild(page, "amplifierWarning").text.indexOf("not patient-isolated") >= 0)
            // No clinical context in this test: the page says the people are unknown, never asks to type them.
            verify(findChild(page, "caseNotice").text.indexOf("Nobody is logged in") >= 0)
            verify(findChild(page, "practitionerId") === null, "no typed practitioner or credential")
        }

        function test_bodyMapTapSelectsTheMuscle() {
            const area = findChild(page, "bodyMapArea")
            const map = findChild(page, "bodyMap")
            map.view = "back"
            // The right rhomboid region's centre, in the map's coordinates.
            const r = testBodyMap.region("rhomboids_right")
            mouseClick(area, map.originX + r.x * map.drawWidth, r.y * map.drawHeight)
            tryVerify(() => testNeedling.site.regionId === "rhomboids_right")
            verify(findChild(page, "siteLabel").text.indexOf("Rhomboid") >= 0)
        }

        // The selected muscle's referral pattern is drawn on the view it belongs to
        // (upper trapezius: neck on the back view; temple and jaw angle on the front).
        function test_selectedMuscleDrawsItsReferralPattern() {
            const area = findChild(page, "bodyMapArea")
            const map = findChild(page, "bodyMap")
            map.view = "back"
            const r = testBodyMap.region("upper_trapezius_right")
            mouseClick(area, map.originX + r.x * map.drawWidth, r.y * map.drawHeight)
            tryVerify(() => testNeedling.site.regionId === "upper_trapezius_right")
            tryVerify(() => findChild(map, "referral_ref_posterolateral_neck_right") !== null)
            verify(findChild(map, "referral_ref_temple_right") === null, "the temple is on the front view")
            map.view = "front"
            tryVerify(() => findChild(map, "referral_ref_temple_right") !== null)
            verify(findChild(map, "referral_ref_jaw_angle_right") !== null)
        }

        // DN-LUNG-DISEASE through the real SupervisorDialog and the real store (testAuth, from
        // LaserFixture): a role that may not approve is refused with the store's message, a
        // manager's approval lets this needle in, and the E-STOP stays visible above the dialog.
        function test_aSupervisorApprovesLungFieldNeedling() {
            tryVerify(() => testAuth.loggedIn, 10000, "the practitioner is logged in")
            shell.services = { needling: testNeedlingAsk, bodyMap: testBodyMap, auth: testAuth }
            verify(shell.showPage("bodymap"))
            verify(shell.showPage("needling"))
            tryVerify(() => shell.currentPage !== null && shell.currentPage.objectName === "page_needling"
                      && shell.currentPage.needling === testNeedlingAsk)
            page = shell.currentPage
            testNeedlingAsk.selectPoint("back", 0.55, 0.25)  // rhomboids over the lung field
            testNeedlingAsk.needleLengthMm = 15
            tryVerify(() => page.decision.supervisorRequired.indexOf("DN-LUNG-DISEASE") >= 0)
            verify(!findChild(page, "insertNeedle").enabled)
            const ask = findChild(page, "askSupervisor_DN-LUNG-DISEASE")
            verify(ask !== null && ask.visible)
            mouseClick(ask)
            const dialog = findChild(page, "supervisorDialog")
            tryVerify(() => dialog.opened)
            verify(dialog.context.session_id > 0 && dialog.context.patient_id > 0, JSON.stringify(dialog.context))
            compare(dialog.context.site.region_id, "rhomboids_right")
            const button = shell.emergencyStopButton.contentItem
            verify(shell.emergencyStopButton.visible && button.visible, "E-STOP visible while the dialog is open")
            verify(shell.emergencyStopButton.z > dialog.z)

            const form = dialog.contentItem
            findChild(form, "supervisorLogin").text = "admin.qml"
            findChild(form, "supervisorPassword").text = "admin-pass-1"
            findChild(form, "supervisorReason").text = "COPD known; 15 mm, flat, lying"
            mouseClick(findChild(form, "supervisorApprove"))
            const message = findChild(form, "supervisorMessage")
            tryVerify(() => message.text.indexOf("may not approve") >= 0, 10000, message.text)
            verify(dialog.opened)
            verify(!findChild(page, "insertNeedle").enabled)

            findChild(form, "supervisorLogin").text = "manager.qml"
            findChild(form, "supervisorPassword").text = "manager-pass-1"
            mouseClick(findChild(form, "supervisorApprove"))
            tryVerify(() => !dialog.opened, 10000, message.text)
            tryVerify(() => page.decision.mayProceed === true, 2000, JSON.stringify(page.decision.supervisorRequired))
            const state = findChild(page, "supervisorState_DN-LUNG-DISEASE")
            verify(state.text.indexOf("Approved by manager.qml") === 0, state.text)
            verify(!findChild(page, "askSupervisor_DN-LUNG-DISEASE").visible)
            verify(findChild(page, "insertNeedle").enabled)
            mouseClick(findChild(page, "insertNeedle"))
            compare(testNeedlingAsk.needlesIn, 1)
        }

        function test_eStopStaysVisibleOnTheNeedlingPage() {
            const button = shell.emergencyStopButton.contentItem
            verify(shell.emergencyStopButton.visible && button.visible)
            const p = button.mapToItem(root, 0, 0)
            verify(p.x >= 0 && p.y >= 0 && p.x + button.width <= root.width && p.y + button.height <= root.height)
            verify(button.width >= 54 && button.height >= 54)
            // The emergency advice banner does not cover it.
            testNeedling.addAdverseEvent("suspected_pneumothorax", "severe", "test")
            tryVerify(() => findChild(page, "emergencyAdvice").visible)
            verify(shell.emergencyStopButton.visible && button.visible)
            const trace = findChild(page, "emgTrace")
            verify(trace !== null && trace.width > 200 && trace.height > 150, "the live trace has room")
        }
    }
}
