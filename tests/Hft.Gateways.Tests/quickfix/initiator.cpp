// A small FIX 4.4 initiator on the QuickFIX C++ engine (an implementation independent of ours), driven by
// Hft.Gateways.Tests: logs on with a password, sends each order kind, forces sequence gaps both ways, logs out.
// Prints one line per event on stdout; the C# test asserts on them. Usage: initiator <port> <store-dir> <password>
#include <quickfix/Application.h>
#include <quickfix/FileStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/OrderCancelRequest.h>
#include <quickfix/fix44/OrderCancelReplaceRequest.h>
#include <quickfix/fix44/OrderMassCancelRequest.h>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

static std::mutex out_mutex;
static void say(const std::string& line) {
  std::lock_guard<std::mutex> lock(out_mutex);
  std::cout << line << std::endl;
}

static std::string get(const FIX::FieldMap& m, int tag) {
  return m.isSetField(tag) ? m.getField(tag) : std::string("-");
}

class Initiator : public FIX::Application {
 public:
  explicit Initiator(std::string password) : password_(std::move(password)) {}
  std::atomic<int> logons{0}, logouts{0}, reports{0}, cancelRejects{0}, massReports{0}, possDups{0}, resendRequests{0}, sessionRejects{0};
  FIX::SessionID session;

  void onCreate(const FIX::SessionID& id) override { session = id; }
  void onLogon(const FIX::SessionID&) override { logons++; say("LOGON"); }
  void onLogout(const FIX::SessionID&) override { logouts++; say("LOGOUT"); }
  void toAdmin(FIX::Message& m, const FIX::SessionID&) override {
    if (m.getHeader().getField(FIX::FIELD::MsgType) == "A") m.setField(554, password_);
  }
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message& m, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {
    auto type = m.getHeader().getField(FIX::FIELD::MsgType);
    if (type == "2") { resendRequests++; say("RESEND_REQUEST " + get(m, 7) + " " + get(m, 16)); }
    if (type == "3") { sessionRejects++; say("REJECT " + get(m, 373) + " " + get(m, 58)); }
  }
  void fromApp(const FIX::Message& m, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    auto type = m.getHeader().getField(FIX::FIELD::MsgType);
    bool possDup = m.getHeader().isSetField(43) && m.getHeader().getField(43) == "Y";
    if (possDup) possDups++;
    std::string dup = possDup ? " POSSDUP" : "";
    if (type == "8") {
      reports++;
      say("EXEC " + get(m, 11) + " " + get(m, 150) + " " + get(m, 39) + " cum=" + get(m, 14) + " leaves=" + get(m, 151) + " avgpx=" + get(m, 6) + dup);
    } else if (type == "9") {
      cancelRejects++;
      say("CANCEL_REJECT " + get(m, 11) + " " + get(m, 102) + dup);
    } else if (type == "r") {
      massReports++;
      say("MASS_CANCEL_REPORT " + get(m, 11) + " " + get(m, 531) + " " + get(m, 533) + dup);
    } else {
      say("APP " + type);
    }
  }

 private:
  std::string password_;
};

template <class F> static bool waitFor(F done, int ms = 10000) {
  for (int i = 0; i < ms / 10; i++) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

static FIX44::NewOrderSingle order(const std::string& id, char side, double qty, const std::string& px) {
  FIX44::NewOrderSingle o(FIX::ClOrdID(id), FIX::Side(side), FIX::TransactTime(), FIX::OrdType(FIX::OrdType_LIMIT));
  o.set(FIX::Symbol("BTCUSD"));
  o.setField(38, qty == 1 ? "1" : "0.5");
  o.setField(44, px);
  o.set(FIX::TimeInForce(FIX::TimeInForce_GOOD_TILL_CANCEL));
  return o;
}

int main(int argc, char** argv) {
  if (argc < 4) { std::cerr << "usage: initiator <port> <store-dir> <password>" << std::endl; return 2; }
  std::stringstream cfg;
  cfg << "[DEFAULT]\nConnectionType=initiator\nReconnectInterval=1\nFileStorePath=" << argv[2]
      << "\nStartTime=00:00:00\nEndTime=00:00:00\nUseDataDictionary=N\nHeartBtInt=5\nResetOnLogon=Y\n"
      << "[SESSION]\nBeginString=FIX.4.4\nSenderCompID=CLIENT_A1\nTargetCompID=HFT\nSocketConnectHost=127.0.0.1\nSocketConnectPort=" << argv[1] << "\n";
  try {
    FIX::SessionSettings settings(cfg);
    Initiator app(argv[3]);
    FIX::FileStoreFactory store(settings);
    FIX::SocketInitiator initiator(app, store, settings);
    initiator.start();
    if (!waitFor([&] { return app.logons > 0; })) { say("FAIL logon"); initiator.stop(true); return 1; }

    // 1. orders of each kind
    { auto o = order("Q1", FIX::Side_SELL, 1, "50000.00"); FIX::Session::sendToTarget(o, app.session); }
    waitFor([&] { return app.reports >= 1; });
    { auto o = order("Q2", FIX::Side_BUY, 0.5, "50000.00"); FIX::Session::sendToTarget(o, app.session); } // crosses Q1: two fills
    waitFor([&] { return app.reports >= 4; });
    FIX44::OrderCancelReplaceRequest replace(FIX::OrigClOrdID("Q1"), FIX::ClOrdID("Q3"), FIX::Side(FIX::Side_SELL), FIX::TransactTime(),
                                             FIX::OrdType(FIX::OrdType_LIMIT));
    replace.set(FIX::Symbol("BTCUSD"));
    replace.setField(38, "1");
    replace.setField(44, "50001.00");
    FIX::Session::sendToTarget(replace, app.session);
    waitFor([&] { return app.reports >= 5; });
    FIX44::OrderCancelRequest cancel(FIX::OrigClOrdID("Q3"), FIX::ClOrdID("Q4"), FIX::Side(FIX::Side_SELL), FIX::TransactTime());
    cancel.set(FIX::Symbol("BTCUSD"));
    FIX::Session::sendToTarget(cancel, app.session);
    waitFor([&] { return app.reports >= 6; });
    FIX44::OrderCancelRequest unknown(FIX::OrigClOrdID("NOPE"), FIX::ClOrdID("Q5"), FIX::Side(FIX::Side_SELL), FIX::TransactTime());
    unknown.set(FIX::Symbol("BTCUSD"));
    FIX::Session::sendToTarget(unknown, app.session);
    waitFor([&] { return app.cancelRejects >= 1; });
    { auto o = order("Q6", FIX::Side_BUY, 0.5, "49000.00"); FIX::Session::sendToTarget(o, app.session); }
    waitFor([&] { return app.reports >= 7; });
    FIX44::OrderMassCancelRequest mass(FIX::ClOrdID("Q7"), FIX::MassCancelRequestType(FIX::MassCancelRequestType_CANCEL_ALL_ORDERS), FIX::TransactTime());
    FIX::Session::sendToTarget(mass, app.session);
    waitFor([&] { return app.massReports >= 1; });

    // 2. our gap: skip outgoing numbers; the acceptor asks for a resend and QuickFIX gap-fills
    FIX::Session* session = FIX::Session::lookupSession(app.session);
    session->setNextSenderMsgSeqNum(session->getExpectedSenderNum() + 5);
    { auto o = order("Q8", FIX::Side_BUY, 0.5, "49000.00"); FIX::Session::sendToTarget(o, app.session); }
    bool resent = waitFor([&] { return app.resendRequests >= 1; });
    say(resent ? "GAP_RESEND_REQUESTED" : "FAIL no resend request");
    { auto o = order("Q9", FIX::Side_BUY, 0.5, "49000.00"); FIX::Session::sendToTarget(o, app.session); }
    waitFor([&] { return app.reports >= 9; });

    // 3. their gap: forget the last messages received; QuickFIX requests a resend, the acceptor replays them
    int before = app.possDups;
    session->setNextTargetMsgSeqNum(session->getExpectedTargetNum() - 2);
    { auto o = order("Q10", FIX::Side_BUY, 0.5, "49000.00"); FIX::Session::sendToTarget(o, app.session); }
    bool replayed = waitFor([&] { return app.possDups > before; });
    say(replayed ? "RESEND_RECEIVED" : "FAIL no resend received");
    waitFor([&] { return app.reports >= 10 + (app.possDups - before); }, 3000);

    session->logout("done");
    waitFor([&] { return app.logouts > 0; });
    initiator.stop();
    say("DONE");
    return 0;
  } catch (std::exception& e) {
    say(std::string("FAIL exception ") + e.what());
    return 1;
  }
}
