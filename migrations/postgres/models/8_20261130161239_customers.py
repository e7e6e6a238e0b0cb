from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "payment_method" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "stripe_payment_method_id" VARCHAR(255) NOT NULL UNIQUE,
    "type" VARCHAR(64) NOT NULL,
    "brand" VARCHAR(32),
    "last4" VARCHAR(4),
    "exp_month" SMALLINT,
    "exp_year" SMALLINT,
    "wallet" VARCHAR(32),
    "customer_id" UUID NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_payment_met_user_id_66ab7f" ON "payment_method" ("user_id", "created_at");
COMMENT ON TABLE "payment_method" IS 'A payment method saved for a user (attached to their Stripe customer).';
        ALTER TABLE "customer" ADD "name" VARCHAR(200);
        ALTER TABLE "customer" ADD "stripe_version" BIGINT;
        ALTER TABLE "customer" ADD "address" JSONB;
        ALTER TABLE "customer" ADD "default_payment_method" VARCHAR(255);
        ALTER TABLE "payment" ADD "purpose" VARCHAR(16) NOT NULL DEFAULT 'one_time';
        ALTER TABLE "payment" ADD "stripe_subscription_id" VARCHAR(255);
        COMMENT ON COLUMN payment."purpose" IS 'ONE_TIME: one_time\nSUBSCRIPTION: subscription\nCREDIT_PACK: credit_pack';
        CREATE INDEX IF NOT EXISTS "idx_payment_user_id_375a26" ON "payment" ("user_id", "purpose", "created_at");
        UPDATE "payment" SET "purpose" = 'subscription' WHERE "stripe_invoice_id" IS NOT NULL;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_payment_user_id_375a26";
        ALTER TABLE "customer" DROP COLUMN "name";
        ALTER TABLE "customer" DROP COLUMN "stripe_version";
        ALTER TABLE "customer" DROP COLUMN "address";
        ALTER TABLE "customer" DROP COLUMN "default_payment_method";
        ALTER TABLE "payment" DROP COLUMN "purpose";
        ALTER TABLE "payment" DROP COLUMN "stripe_subscription_id";
        DROP TABLE IF EXISTS "payment_method";"""


MODELS_STATE = (
    "eJztXelz4kiy/1cq/GXseB5Ht/tcz+6LwFjdw44NfkB3z+4wIQqpMAqLEqOjMbHb//vLLE"
    "mgE0sYsJDriw+psiRl1pH5y6P+czS1dGY6Z7cm5UcX5D9HnE4Z/BG7fkqO6Gy2uooXXDoy"
    "RcNZ2GLkuDbVXLg2pqbD4JLOHM02Zq5hYd9HDeIw00Q6gkRnZDi8Z4vhkBgOcSeMOKJPol"
    "GXmtYdMXRyPLYZdDSz2dTwpqfk7Ozs5Bd8mG5p8DSD322x3wEfDrHTGVO/M9uBl4Yu8JPu"
    "HWK4DumJe+TWtnRPc8/wNTxu/OUx1bXuGDzIhpf540+4bHCdPTAn/Hd2r44NZuox/sIbYg"
    "/ihuouZuJic0LtT6IpfuNI1SzTm/JI89nCnVh82R5eF6/eMc5s6jI9wnvu+SyJXPLfFi64"
    "tseWr6mvLuhsTD0TJYjU/iusrh2parvTV3tKX1WPUtINKSKCCS5pFseRYXDXERyY0gfVZP"
    "zOncC/79/+8J+zYoTfCh/4tdFt/troHr9/e4IPtEAW/phrB3fOxa0foguQrt+J4PuK0ZrN"
    "kDUqddP8voI7rjFl2TyPUyZYrwekZ+EfmwgivLCSxGrq7EMU8IF6h5uLYAisEUW/daP0+o"
    "2bW3zc1HH+MgX/Gn0F75yLq4vE1eP3CbEtOyHfWv1fCf5L/t1pK4K9luPe2eKJq3b9fx/h"
    "O1HPtVRuzVWqR0ZreDXkGrRcSd2b6RtKPU4ppV4VqYc8iog9ePuV1OPLd1ryl8Zdi7vZck"
    "/TJmQP/Csg7WBwVkbYd/gSP//t/PzNmw/nr968//ju7YcP7z6++ghtxQunb31YMyIuW59b"
    "7X5cwHjhR0wO4neJ3S1sv53t7blZHtvgzl+9KrDDQavcLU7ci/M3+mYpNvfZQ84QT5BtxO"
    "2Kje91i5fyez+2boUsPb5p/H4SW7uuO+3PYfOICJrXncsE52HBMrLZnruwREk2WlI2GuCv"
    "drugnL9+++Htxzfv3y7XkeWVdctHeqmAp1FT1enCKcHSOJFkapKpmmfbjGulLIwozf7W4S"
    "PPCV9lxwvxmwLL8JvcRfhNcgk2jSkYhWkG/7PXaWczeEWRVCoNzSX/Jabh7GzgHv197HEN"
    "GUhGnmG6BnfO8Hn/uyver2E2cmj9upxcghOKInaQXJfHYKp5eL+EQKI0UiRbFwmFj/ueoQ"
    "ZeWpbJKM+WyYooIZERUO1KFCH8sV+mX3Y61zGmX7aSCsiXm0ule/xaSAAaGW6Ovo1wVklG"
    "hyR7ZPPyysHyObARZz4EqBp6mQ02k3grOniF8Lzzd++KmDvv3uWbO3jvxw8ETsf3EUQPL4"
    "yodj+ntq7G7kS0c9vQsvaAy4Du029dZtIcZTyCeN9iPwdoev4Ix1x49SgDJNEmTLu3PFd1"
    "mINQxxP51Qy66/m91ZVrjjdadv5EjvUiXdWJXThDrXMrb86mb03Pp8krlNM78Un4bHxSal"
    "bmOKmWU3a9p0qdLds96q/qcLZy+gAVscaEChfTTw4JlvFTMp+A6L4zW/iI7kEmF9BIp85k"
    "ZMFXE89hdspjtbWeB3xKF4TqOpkzdm8uiGUTi7OfEZom/mqI/RjahFCbkalh25bNdNA4Xc"
    "JF345l6uTYYQzdXzBWHWqy4fDkjLS4r4sR25o76ENbQFviwjsR9gB6KnwKCSbFiNkOPJZQ"
    "TqC3ARcPBhLDNAkoiJYJvbhIywzbd9EVc5794YvM3ylhoDH7OxXaSaAl/pnrXcvamb98aV"
    "1l78yZW7HnGfoZ0uzGwxZR/8WT8Mfb59D9fcPXB+2jKr34dOlae1lOFulae4lSl661w3Gt"
    "CZaluJ9vdYbt9wjp2gyxZGTdrjgfMzlfvy9gcb5OTp2VwYm34jyOqhpF+RylqaEb82MBHn"
    "/MZfHHPA4DAz2esY/kLiVpwr0tJa93u45szflDpyV5uiLYnydt9+vyC3Sm7W012LIvTXoK"
    "9o9gg4W+KX69Iq1dOOrW4OuYq9iy7r2ZWjLiN05Vh1idPQRGRfCionyOkNRwpd5OfHXKGR"
    "PneJrdnyybGXf8N7YQTG/BG1KuZa3WiTyDA2N2HhYOl206XwKT0UEG3w5fzPwFugtmebfV"
    "hFU63721S1g96bzJANcz/Dv5EHvSt1QMaG+QqHeFhJ2QoJOzFH7+GMGACzR7xrjqmJY7HJ"
    "KJBewQ2SAIm2MOCNDhvxZnIVnktkN8Dc41FwM+oTC4dHKMvEMyxM0XxELQGsHxkwsB0PtD"
    "koiBiB0gek+m9J45ZHBE3QGfWo4rHofvlfMBM+hS4PpH4o2hE2jqzi0CHHYIcJGdDvjcgB"
    "kEjSkxLe2eTEDShGq25ThwKXAraNQ0z0gD38/H7E18Or4nMgRdAiYbcB+iF+9j8JAU3p09"
    "zAx0E+AnMjJaCM5w9uCu3tQaL9mVh+b/cYR3Q/heZ9OZ5aJSLPa0P1NYf6QxrBau50h8X+"
    "L7VV34DxTplfj+S5S6xPcPB9+P7IJFLZgISQ0tmJ2Y5MGIDRS/zYCQOLGEQkrwvVLwU/1H"
    "u/Rn7dqfFRgsmfxVuDdNoSCJoR1S79FLi1ZfSXPkqHOrtC+EvTjgzc7N7bXSVy6IZk1nCG"
    "gMuPL7baurXF2EBmTScH8ed65nlxr5QfM6Iq5viwx7bLYGc32bGvy+sJ0NDIY4ZQ0NhsM1"
    "ENJ2Yaj2RICrDRWndA81nGy72MhtBl/quKpu3DEnY7blsz5NWcNNfVvFZKI4Yxy1LKNApU"
    "nlKC80ype4fRl2x4hkVlUBNktfqfSVSl9pCV+p57jWVLi20k7S8N7pWu9otNWjXlHlAW5j"
    "Sg9nS7/ghe90812Nw2GA/A2HxGGuazJ0AKKTkIyYO2eME5pynW6l1wHHNj85ZGzYjisclI"
    "GC4ZDjkeVO4F+qTUKPIjos/Up8wDUS2RgHHHbGU8wrCt2Wwm/kiLcLuUVcyzp5ark96TCU"
    "DkPpOpIOQyl16TCUDsNtOwzrbioF4zXUSDaDvRLUkvNFOM+m1CiF3i8J6ge2vDkvEjENrf"
    "IzL85TEdN7LdVZafbuJCAd9lPYckuVJYuQPKkqWcWYve/yY8EHqDO6mDLuqlOwGa1S63Z+"
    "DzUc/M9btynG4acWcPI7u1lK68BshueprxNjWlaNnSRX19TZSc2XIikAARXxqYhDvzOdjC"
    "2bUD8m/5i6LtUmGJUelpIJQaNAsTrJShTYRreYTtCfiEo45M5ijh+WHzRz6ALPh8CweZ35"
    "XRUubxNRxCMAiAx7lyhWRdemA8UzJIr1EqUuUSyJYh3SLNtf+HVMQdswDjurD4lpFZGCYE"
    "8JjoftazjKtx+xNbIpLzWelwT1M+rfnBfCC9fAhalSFtRx35bh7pKgftwtMnTzR25q4LKH"
    "mTq1OHSdYm9vSk0zVw2JEdZIA3lz/uH9UufAf9ZpGb2bxvV1Wq1A3iwYtTfhaUgnWRpj6R"
    "z4xkqFZq4o6rcIbH+JXetkzAd71nsXn4T6VAMP3QDkWROKGQ3Fe2I4ZjT27zBZ+2hIZmJw"
    "xcIym41es3GlPFdU5pU3Mw0NWB6rqp8BYGc3PF0HZOshSSxlpRigjSXe4zVecBSZTCegbh"
    "KbjT1RVGbENAqG7Kr0DDURbFmQCcWWKUB7O90OuGXqcNXE+u4WZ2ekyzTL9inHMAEitWCw"
    "kgzTYyGiS74QQ8cK9Fjjxi+KY8JFG//mLqEjrBNjuGQMoxvIoS8E0A0Ya/AqouS9JqrI0z"
    "sYehIzl5h5mvMSPZWYuZR6xTBzidXuAyW8ZzNXfXrO7SPdSGkUk0ZEFXyySIr0JZH0Yv6M"
    "gyu7MWNcL380wtGt0r5qtT9fkIB+wLtKr3P9FYttBEcsgSr+qdG6xitjaphVqb6R8BdhXR"
    "m+6dGJWX3UD1PapevPtxA3Y3+MVrK9YMUG3yJXS5/KkEEpDzqvxNkMlR7FWz6ageGBgWnu"
    "9tlDnuckJKgDa9cZbcrv/Zi9lopZX9ps153257B5MpA9uVr4O/kGBnWCdAsW9QHJotoGtI"
    "+blAiM3ylebjgzTyD3aYQ8uHW6FhOPNHoUBMegaVDaRKmAgDA46jSIyj4OcGZqmnjKaFiU"
    "QIPF+45lxHNvo0NZRUBiyRJVlFiylHoFsGQZf12N+OuAl8Geuhk+ECeWCGYRfEAe1lgDQK"
    "ByTN0lInB4mHt5Th99a3TbrfZnta0oVz21q/RuO+2eckHA/uLAeZUzpjsqbIMz4Dwb8LD9"
    "l/aV0oX2X1vKt1VrxPFsaP3dYPNVW7D/ewjWh60003IQxE8+M/ms+DMSfXfa0KHFBxw671"
    "+IU582cQNsP6wRVBgna4NfV7I2pKjyUKlM4gMWQN1IfY4R1lB7PlxtOW0kLT1gpYCIONV+"
    "AYnDCAwug8WlpJEWRYezvgU/CkYQ3676OUQBPF7RNTb+ihR13UYti6P8KhbrIc6IWB+FOP"
    "N5tdUDEaORrqck66zE9Y1mng3TgCVbSaBTAp3V3LQPFPKSQOdLlLoEOg8H6JTBy89QaKIa"
    "QX/VUp4luCzB5cNfPbYMLvsDUA1jH0sP3RilDJdMe/leAHbfVf7vS6ur9NTbxr9ulHZfvV"
    "H6v3ZEnPxfnjhuMF67CEPpA4pmp/2p1b1p9FuIoy/bg1TGhj0VdUcjrRvNRDuq+S1uu52m"
    "0uv58fq2peFBwRiy3/vSbCrKFYL+jqdpjOnpoP0BbzbaTUVcCXN7ocdGt99qXF//S+0qn9"
    "ABAHdn1HYNapqL5aDHdwvvRifC86P/URGVWDwTZHUIKY1z+l2hmtPv1tScfpeuOR0BezaZ"
    "5hHyfR5Hy5kaWq1lZjtYayqaZxck7AHn2WWv2W3d+tMzml0Fs6urXLX6sDY0f7vA44Z0Aw"
    "s8a/ebzJOdJcvIMzafT2nGZdizGWwOjkPvMmZRfux7BmkdmL7vKPggjihj2F9alskoz9ks"
    "ImQJto+Ablcr1/LKfjl/2elcxzh/2Uqy9svNpQLrjxADNDLcHEgkWDIM/t0ytA1jv+LE8v"
    "zNAguNPFv2JZ6gXGmW7+gE1HzvejJR8olHP3RFJ9WxRZ/sSc/IJVWp68Lsd7fCqobfV504"
    "Vip5KqV05DM1jOl4nLWRPKrDWgzW8rREAEYwDTPiL1YTND/8wl612Wr0RSq+Ih6WIuMiZF"
    "xE9Ze9A/WQy7iIlyh1GRdxOHERThXqw0gPvfTQSw99pT30e8/jqdrqvGNP6ToXfd7qewhu"
    "+cowuGopNNWw+beRRFMgMaZ0cf0npMZUg7E7SI7ZvFZQRPFYAX9PhbvKIokVW9C3C3qFbM"
    "jFviJ8egwCUyNCKnKCrk9FRoZp3tl0NiHUuWd6WMp/bNmnRLOmUwN6Xdb5hybAnKyDc5/Q"
    "G56X23IdYujEPxwAzw4ICCOuK3LPFqfEseBRM0b9owA4CT6aHNMxniVABxyTmOGOM2fwTE"
    "o0mzoT/AONectzTzBOinA8gCB8aXduaOwXMp8YJiOY33pKDNcZcF97hveGn45/7gB0PZ9Q"
    "cXyvycYuVpNy/SJTOCvzCkYlwcPHk7ni7YM9WwKNEmis6PZ1oJCTBBpfotSLAI0Satku1B"
    "LEQ2xW2jhNWiPkdosslljLLqEAGYH1fBFYMPlHpTiepKsh2LVjfm9SVDpOW0ON53A1nLRi"
    "e3jpXaL4VEmb8ahzq7QvhFk/4I1275vSxYQnHyAIk6B6YQ6Us1kK1PZTO0RhfGC3Xurs9z"
    "hV/baY7W/q8sSCfeZqSG/K1mCqVKBvOZ6ui74ow9JKpWFI79RuGbt/71RylKelULJ4XuGY"
    "/yoO7Ef5H5vVO6+c99gZ2sWPzi59YPbTQrlLlcqTXhfpdanosnyg+Lv0urxEqcvw7sMJ75"
    "Zl7/ZY9q465TteXEB9wD/Nc1xrWnrIZ1PL0V+u6KO9cRWJKKnkel3PQC/P7yOwdBvXop4a"
    "8Juaopoall/7qlwQrLr2nWGNtF5fvfqiYGU0rNPgibNSbhutKzwlZUaNnNpqrXazc3N7rf"
    "SB0uCaNZ2hiR29riq/37aEk2F1X2UPM8P2a7P53oYZ3dTZsH0Q3M9pcdUZsw1LV0HKdnlj"
    "K6ePGirgh6twp+2shNhYFsRWSvBBD1Ls1Ra7WM/ARl4r+LUFtPK6kMW0ShTTCveVTdCtOK"
    "k8wrvK841hcdUNhBylkxKusoSFprnJ/hkjlDKusoxnJi2L0ERIqmwybWii7qgCXJzjaXaX"
    "97wH3RwYswu73VeDbLcZoSUdxF+wrm0TY/aFIzblII7dP13nIPawpapFmj6a4fgN8/QoQV"
    "waf+iYq0fJmFHXsxmY5lgBWuQrYiahr8KmExs36QTzGWFoYp7jws8OFNd/cogwikUOIyWc"
    "zYMbmEzo/29bc3KMFNQ0rTkO6QEXNNDAJa9OCOU6NLUZCBz7B7uLzalJQPy6A68inuYAj7"
    "EnkIblTvC9DGcQ5js6zMW3BnqNnZHhEL9pOARSc0G0CeV3Iv3Stry7iegMhp5uIEepOeDD"
    "4ZdbXIfJ2dkZgbHtc+Qf/q//IX+Rb78qXWX179//QUxjarjDYX5iZNTT4HNVzOIoiJDMjp"
    "T++Gf1x0vf0F7qiq8mQ1EuR+dP/bi8/SOQn4J2SpTzoBT3EGovHk0QUtTmVKA9RBCk9Phn"
    "1Dq7TLPszKKy0dsFdE571fJRlbPDmV8tAhSg4RAb34ungYalgUpHjoMUE/EfVpCg3xloaZ"
    "ydpDXPJ/QlCmpw2HOR1ohohdALd/xjhwh1AgVPqNSgnPpxU7+Iq/7AHfBj3LlPk1U4ToI6"
    "HTQoxQFPgat+V6BKasAZUDc5mU+YePiA++0cYgu102c+0IMKfc9mvkYMPfhXYLpZsI3hm8"
    "NcMLjhMnNRSIEsdUbyWm1TqpdSvayK4iPVy8NUL//yKHcNNyNrOVfpiJLIKhIZ7jKpsr8Y"
    "lV1WW3iGbUHmWuRz/zCj7vNyLSpiq31jo4ll3SvfGc+sghi7v9Zam/stVbZsWshcC+oMCq"
    "oz0l/aPmBzBVGm4haol2B4GY5f/c83f+AVjO/MXmSablvod8DZA7y/ufgZbaoLMLd0b2Ya"
    "GswZYlpOUCjREIae8AzgCPUvOq6FFpTluZoF0y7HeEqZR6vwzmA6S2voma2hxFgpswtmkM"
    "qkgCKboGBPCUaH7XdlFT0fe18XOm/49Zrzhl+nzxumMyM/wSufywmy+il027dAw0U8xeV1"
    "wHeEaFcm6F4H9LPkz+EGPs2s3bM2pDZKJsNoS4TRzujCtGjGSP9nr9POgQNWJElrxdBc8l"
    "9iGs4hQi5rGI7MiDE8VdInWb0nobBgB8mSPoeXUASWnMZgpoVjonBaUVdpKq2vfqkwv4cB"
    "v+12mkrPz+ixLY05jkgS+tzu+BlAd9wSaT+fGi2RSISHflelxlj+0aD5VW4jJLVxjW4Nnj"
    "Qxk6x0RbE4VR0Um32XFQun40Y1K2OkEriqOnAV2/bDFXcDwSdpZeR91bwBFYEoO547sh5y"
    "Ecro7dN1AKUlGpbFJ3VrCgINccThMDpsfeTQYe5pEHURxBvbzKT4F3XJhGICUSZCuZWeB9"
    "xwiWthL/aC6J6NX0uCehQjZpNjbrnGGEFL+CgHmup08QsBI1M3MKoZ45k9+HPATZhX9skj"
    "4SqGTeY2WAFOYUgzOc0tTeSryoObKwBuVg1oqxX48wxxNBXb//YAFUdXk5L6R4K0hornoe"
    "sfEmCqBMAklfw6T7KKKPntiJZ6Ffr1M7T9zHZr1f6o/qtGQwYKnNEYaOd4fCKedci4PrOM"
    "QFv3VxdQ1CeWGXj9RbgAGVn6AvR1UJJPydiAIUn8sR8/sHFrXQ/4mPKfwbgRUdy+HWAzF3"
    "76IQkOdE3wh7NS7EUXZ6QhroORoJnUmDoDLkwMa47WBtge4ojH4dC0tHuYwB53DRPe6Zhi"
    "rLsj4iHE2Y5MD7r5yfE7wrgJLLbk+PmS/rP94yGDIyixYxH8js3zQ8ujrvOQQRlB5SsMGx"
    "7shsdwLisKxyOjDBlT8dxmR34wRT6v10RRyAMIfOaUtebiVNKmK5KxmKeF5jsX8rXQw2Tx"
    "vl0LB+jevFXaV63257LezYDsggR/DPiVct366h+XtPxz5cn0f0tPZn09mbDiz+AxTM2bBL"
    "nMzSOvUUXurbE6qTSmuLzexM0gl1Zu1azc2NSK2DNlhZ2klZKusqSFGayObWtaVs5xSokN"
    "V1rMMmkqf6+sb+xJCAiVBRLiZBJLWF//bwm7pVhcugZgFLpVIt0eJpsfrQmYGGixuoDNRq"
    "/ZuFKeqyxgpiQeAdujEisItkfHzk4PlJN47vNWDLEz9Og1UQ52lup8mGhYIsTh1duPRWIc"
    "oFl+kIO4mYHvZpj/+b7vFcX+Xd+RIT3yDNM1uHOGz3uOUb2bjAsGemPGjrgmFXRJUcNR//"
    "q8yKCHVvl44nl6yHP89rJHIkSo9pi+FS7qB5u9JQ2o/KFeLwOqRLTHangEQRMGy9iCLgPa"
    "T791mUnD44MfNwCisRsHNiTyDIAfu1TZG8B/bXKUoaQHd9aq5XTVpjJ6eK7vIlMNz7AVgz"
    "H+NP278n6KfLV7gxz+p+bvV20q7iHCGCdVCQ4HzWvI3Z3UooAnuiwLXco3bSIkMqy3pBXz"
    "rMGeP/4fZDUc3A=="
)
