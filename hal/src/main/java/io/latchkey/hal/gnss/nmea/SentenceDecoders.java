package io.latchkey.hal.gnss.nmea;

import java.time.LocalDate;

/** Field layouts of the sentences a position report is built from (NMEA 0183 up to 4.11). */
final class SentenceDecoders {
    private SentenceDecoders() {
    }

    // $--RMC,time,status,lat,N,lon,E,speed kn,course,ddmmyy,magvar,E,mode,navstatus
    static NmeaSentence.Rmc rmc(String talker, NmeaFields f) {
        f.requireAtLeast(10);
        Character status = f.character(2);
        if (status != null && status != 'A' && status != 'V') {
            throw new NmeaParseException("RMC status is '" + status + "', expected A or V");
        }
        return new NmeaSentence.Rmc(talker, f.time(1), status != null && status == 'A', f.coordinate(3, true),
                f.coordinate(5, false), f.decimal(7), f.decimal(8), f.ddmmyy(9), f.character(12), f.character(13));
    }

    // $--GGA,time,lat,N,lon,E,quality,sats,hdop,alt,M,geoid sep,M,age,station
    static NmeaSentence.Gga gga(String talker, NmeaFields f) {
        f.requireAtLeast(10);
        return new NmeaSentence.Gga(talker, f.time(1), f.coordinate(2, true), f.coordinate(4, false), f.integer(6),
                f.integer(7), f.decimal(8), f.decimal(9), f.decimal(11));
    }

    // $--GLL,lat,N,lon,E,time,status,mode  (time and status are missing on pre-2.0 receivers)
    static NmeaSentence.Gll gll(String talker, NmeaFields f) {
        f.requireAtLeast(5);
        Character status = f.character(6);
        if (status != null && status != 'A' && status != 'V') {
            throw new NmeaParseException("GLL status is '" + status + "', expected A or V");
        }
        return new NmeaSentence.Gll(talker, f.time(5), f.coordinate(1, true), f.coordinate(3, false),
                status == null ? null : status == 'A', f.character(7));
    }

    // $--GSA,A/M,fix type,12 x PRN,pdop,hdop,vdop[,system id]
    static NmeaSentence.Gsa gsa(String talker, NmeaFields f) {
        f.requireAtLeast(3);
        Integer fixType = f.integer(2);
        if (fixType != null && (fixType < 1 || fixType > 3)) {
            throw new NmeaParseException("GSA fix type is " + fixType + ", expected 1, 2 or 3");
        }
        return new NmeaSentence.Gsa(talker, fixType, f.decimal(15), f.decimal(16), f.decimal(17));
    }

    // $--VTG,course,T,course magnetic,M,speed kn,N,speed km/h,K,mode
    static NmeaSentence.Vtg vtg(String talker, NmeaFields f) {
        f.requireAtLeast(8);
        return new NmeaSentence.Vtg(talker, f.decimal(1), f.decimal(5), f.decimal(7), f.character(9));
    }

    // $--ZDA,time,dd,mm,yyyy,tz hours,tz minutes
    static NmeaSentence.Zda zda(String talker, NmeaFields f) {
        f.requireAtLeast(5);
        Integer day = f.integer(2);
        Integer month = f.integer(3);
        Integer year = f.integer(4);
        LocalDate date = day == null || month == null || year == null ? null : f.date(2, year, month, day);
        return new NmeaSentence.Zda(talker, f.time(1), date);
    }
}
